// `tenrec check` without --json: a verdict line per file, the anomaly in words under an invalid
// one, and a tally when several files were checked.
import type { CheckResult } from '../../../checker/types.ts';
import { anomalyText } from '../../report/anomaly-text.ts';
import type { FileOutcome } from './check-file.ts';
import { isFailed } from './check-file.ts';

const VERDICT: Record<string, string> = { true: 'linearizable', false: 'NOT linearizable', unknown: 'unknown' };

function facts(result: CheckResult): string {
  const parts = `${result.partitions} partition${result.partitions === 1 ? '' : 's'}`;
  return `${result.model}, ${result.ops} ops, ${parts}, ${formatMs(result.ms)}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : `    ${l}`))
    .join('\n');
}

export function textReport(outcome: FileOutcome): string {
  if (isFailed(outcome)) return `${outcome.file}: ERROR\n    ${outcome.error}\n`;
  const { file, result, ops } = outcome;
  const key = result.valid === false && result.anomaly?.key != null ? ` on key ${result.anomaly.key}` : '';
  let out = `${file}: ${VERDICT[String(result.valid)]}${key} (${facts(result)})\n`;
  if (result.valid === 'unknown') {
    const why = result.reason === 'timeout' ? 'the time limit (--timeout) ran out' : result.reason === 'memory' ? (result.limit ?? 'the memory cap (--memory) was reached') : 'the check was cancelled';
    out += `    undecided: ${why} before a verdict\n`;
  }
  if (result.valid === false && result.anomaly) {
    // The verdict line above already says it; formatAnomaly's own headline would repeat it.
    const text = anomalyText(result.anomaly, ops, outcome.events, result.model).replace(/^NOT LINEARIZABLE[^\n]*\n\n?/, '');
    out += `${indent(text.trimEnd())}\n`;
  }
  return out;
}

export function tally(outcomes: readonly FileOutcome[]): string {
  const count = { true: 0, false: 0, unknown: 0, error: 0 };
  for (const o of outcomes) {
    if (isFailed(o)) count.error++;
    else count[String(o.result.valid) as 'true' | 'false' | 'unknown']++;
  }
  const parts = [`${count.true} linearizable`, `${count.false} NOT linearizable`];
  if (count.unknown) parts.push(`${count.unknown} unknown`);
  if (count.error) parts.push(`${count.error} error${count.error === 1 ? '' : 's'}`);
  return `${outcomes.length} files: ${parts.join(', ')}\n`;
}
