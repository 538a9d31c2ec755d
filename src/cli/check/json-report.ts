// `tenrec check --json`: one object per file, one line each (docs/cli.md).
import type { Anomaly, Operation } from '../../../checker/types.ts';
import type { FileOutcome } from './check-file.ts';
import { isFailed } from './check-file.ts';

/** An op as JSON shows it: where it is in the file, and `return: null` when its outcome is unknown. */
export interface JsonOp {
  id: number;
  /** The op's number as the text and the report show it (`op #12`). */
  number: number;
  process: number;
  f: string;
  key?: string;
  input: unknown;
  output?: unknown;
  status: 'ok' | 'info';
  compareFailed?: true;
  call: number;
  return: number | null;
  line?: number;
}

export function jsonOp(op: Operation): JsonOp {
  const out: JsonOp = { id: op.id, number: op.number, process: op.process, f: op.f, input: op.input, status: op.status, call: op.call, return: Number.isFinite(op.return) ? op.return : null };
  if (op.key !== undefined) out.key = op.key;
  if (op.status === 'ok') out.output = op.output;
  if (op.compareFailed) out.compareFailed = true;
  if (op.source?.line !== undefined) out.line = op.source.line;
  return out;
}

function anomalyJson(anomaly: Anomaly, ops: readonly Operation[]) {
  const byId = (id: number) => ops[id];
  const involved = [anomaly.op.id, ...anomaly.concurrent.filter((id) => id !== anomaly.op.id)];
  const after = anomaly.after !== undefined ? byId(anomaly.after) : undefined;
  return {
    kind: anomaly.kind,
    headline: anomaly.headline,
    key: anomaly.key,
    op: jsonOp(anomaly.op),
    ...(after ? { after: jsonOp(after) } : {}),
    involved: involved.map(byId).filter((o): o is Operation => o !== undefined).map(jsonOp),
    ...(anomaly.proof ? { proof: anomaly.proof } : {}),
    prefix: anomaly.prefix,
    state: anomaly.state,
    explanation: anomaly.explanation,
  };
}

export function jsonLine(outcome: FileOutcome): string {
  if (isFailed(outcome)) return JSON.stringify({ file: outcome.file, error: outcome.error, ...(outcome.line !== undefined ? { line: outcome.line } : {}) });
  const { file, format, ops, result } = outcome;
  const line: Record<string, unknown> = {
    file,
    format,
    valid: result.valid,
    model: result.model,
    ops: result.ops,
    partitions: result.partitions,
    ms: Math.round(result.ms * 1000) / 1000,
  };
  if (result.reason) line.reason = result.reason;
  if (result.limit) line.limit = result.limit;
  if (result.valid === false && result.anomaly) {
    const a = anomalyJson(result.anomaly, ops);
    line.key = a.key;
    line.anomaly = a;
  }
  return JSON.stringify(line);
}
