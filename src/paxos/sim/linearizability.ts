// The bridge to the project's linearizability checker (checker/check.ts, built separately). It is
// loaded lazily so the simulator still runs (safety invariants only) where the checker is absent.
import type { CheckResult, HistoryEvent, Operation } from '../../../checker/types.ts';

export interface Linearizability {
  check(events: HistoryEvent[]): CheckResult;
  format(result: CheckResult): string;
}

let loaded: Promise<Linearizability | null> | null = null;

export function loadChecker(): Promise<Linearizability | null> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<Linearizability | null> {
  // Module paths in variables: the checker may not exist yet, and tsc must not insist that it does.
  const checkPath = '../../../checker/check.ts';
  const opsPath = '../../../checker/history/operations.ts';
  const evidencePath = '../../../checker/evidence/format.ts';
  try {
    const c = (await import(checkPath)) as { check: (ops: Operation[], o: { model: string; timeoutMs?: number }) => CheckResult };
    const o = (await import(opsPath)) as { toOperations: (e: readonly HistoryEvent[]) => Operation[] };
    let formatAnomaly: ((a: NonNullable<CheckResult['anomaly']>) => string) | null = null;
    try {
      const e = (await import(evidencePath)) as { formatAnomaly?: (a: NonNullable<CheckResult['anomaly']>) => string };
      formatAnomaly = e.formatAnomaly ?? null;
    } catch {
      formatAnomaly = null;
    }
    if (typeof c.check !== 'function' || typeof o.toOperations !== 'function') return null;
    return {
      check: (events) => c.check(o.toOperations(events), { model: 'counter', timeoutMs: 20_000 }),
      format: (r) => {
        if (!r.anomaly) return `linearizability: ${String(r.valid)}${r.reason ? ` (${r.reason})` : ''}`;
        return formatAnomaly ? formatAnomaly(r.anomaly) : r.anomaly.explanation;
      },
    };
  } catch {
    return null;
  }
}
