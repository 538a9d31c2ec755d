// The bridge to the project's linearizability checker: counter model, one partition per key.
import { checkSync } from '../../../../checker/check.ts';
import { formatAnomaly } from '../../../../checker/evidence/format.ts';
import { toOperations } from '../../../../checker/history/operations.ts';
import type { CheckResult, HistoryEvent, Operation } from '../../../../checker/types.ts';

export interface Linearizability {
  check(events: HistoryEvent[]): { result: CheckResult; ops: Operation[] };
  format(result: CheckResult, ops: Operation[]): string;
}

export const counterChecker: Linearizability = {
  check(events) {
    const ops = toOperations(events);
    return { result: checkSync(ops, { model: 'counter', timeoutMs: 20_000, workers: 0 }), ops };
  },
  format(result, ops) {
    if (!result.anomaly) return `linearizability: ${String(result.valid)}${result.reason ? ` (${result.reason})` : ''}`;
    return formatAnomaly(result.anomaly, ops);
  },
};

/** Kept async so callers need not change if loading ever becomes lazy again. */
export function loadChecker(): Promise<Linearizability | null> {
  return Promise.resolve(counterChecker);
}
