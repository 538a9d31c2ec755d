// Judges a run's history with the checker: paired into operations, split by key, checked with
// the workload's model. A limit hit gives 'unknown', never a guess.
import type { CheckResult, HistoryEvent, Operation } from '../../checker/types.ts';
import { toOperations } from '../../checker/history/operations.ts';
import { check } from '../../checker/check.ts';
import { anomalyText as describeAnomaly } from '../report/anomaly-text.ts';

export interface Judgement {
  result: CheckResult;
  operations: Operation[];
  /** The anomaly in words, when invalid. */
  anomalyText?: string;
}

export async function judgeHistory(events: readonly HistoryEvent[], model: string, timeoutMs: number): Promise<Judgement> {
  const operations = toOperations(events, { model });
  // Every run writes a report: keep what its partial-linearization view needs.
  const result = await check(operations, { model, timeoutMs, memoryMb: 2048, partials: true });
  const anomalyText = result.anomaly ? describeAnomaly(result.anomaly, operations, events, model) : undefined;
  return { result, operations, ...(anomalyText ? { anomalyText } : {}) };
}

/** A result that says plainly that nothing was checked (`--no-check`). */
export function uncheckedResult(model: string): CheckResult {
  return { valid: 'unknown', model, ops: 0, partitions: 0, ms: 0, reason: 'cancelled', parts: [] };
}
