// A readable text summary of an anomaly, for terminals, logs and JUnit: what kind of anomaly it is
// in one plain sentence, where and when it happened, then the few ops that matter on a time line,
// instead of Knossos' raw maps.
import type { Anomaly, Operation } from '../types.ts';
import { formatTime } from './time.ts';
import { spellOperation } from './spell.ts';

export interface FormatOptions {
  /** Describes an op (default: `f key input → output`). Pass the model's describeOp. */
  describe?: (op: Operation) => string;
  /** How many ops of the prefix to show before the failing op (default 5). */
  context?: number;
  /**
   * Where and when an op ran, in one sentence ("Served by n1, during partition … (since 4.1 s).");
   * the checker knows no nodes or faults, so its caller says.
   */
  circumstances?: (op: Operation) => string | undefined;
}


function line(op: Operation, describe: (op: Operation) => string, mark = ' '): string {
  const who = `process ${op.process}`.padEnd(11);
  const when = `${formatTime(op.call)} .. ${op.status === 'info' ? 'unknown' : formatTime(op.return)}`;
  const where = op.source?.line !== undefined ? `  (line ${op.source.line})` : '';
  return `${mark} #${op.number}`.padEnd(9) + ` ${who} ${when.padEnd(26)} ${describe(op)}${where}`;
}

export function formatAnomaly(anomaly: Anomaly, ops: readonly Operation[], opts: FormatOptions = {}): string {
  const describe = opts.describe ?? spellOperation;
  const context = opts.context ?? 5;
  const byId = new Map(ops.map((o) => [o.id, o]));
  const out: string[] = [];
  out.push(`NOT LINEARIZABLE${anomaly.key === null ? '' : ` (key ${anomaly.key})`}`);
  out.push('');
  // Stored anomalies from before kinds existed have no headline: the explanation leads then.
  if (anomaly.headline) out.push(`${anomaly.headline}.`);
  const moment = opts.circumstances?.(anomaly.op);
  if (moment) out.push(moment);
  if (anomaly.headline || moment) out.push('');
  out.push(anomaly.explanation);
  out.push('');
  const after = anomaly.after === undefined ? undefined : byId.get(anomaly.after);
  if (anomaly.proof && after) {
    out.push('Proven without a search: this had returned before it began, and nothing that could undo it fits between them:');
    out.push(line(after, describe));
    out.push('');
  }
  if (!anomaly.proof || anomaly.prefix.length > 0) {
    const shown = anomaly.prefix.slice(-context);
    const skipped = anomaly.prefix.length - shown.length;
    const title = anomaly.proof ? 'An order of the ops completed before it' : 'Longest linearizable order';
    out.push(`${title} (${anomaly.prefix.length} ops${skipped > 0 ? `, last ${shown.length} shown` : ''}):`);
    if (skipped > 0) out.push(`  … ${skipped} earlier op${skipped === 1 ? '' : 's'}`);
    for (const id of shown) {
      const op = byId.get(id);
      if (op) out.push(line(op, describe));
    }
    out.push(`  state then: ${anomaly.state}`);
    out.push('');
  }
  out.push('Cannot be placed next:');
  out.push(line(anomaly.op, describe, '>'));
  if (anomaly.concurrent.length > 0) {
    out.push('');
    out.push(`Could have come first instead (each leads to a dead end):`);
    for (const id of anomaly.concurrent) {
      const op = byId.get(id);
      if (op) out.push(line(op, describe));
    }
  }
  return out.join('\n');
}
