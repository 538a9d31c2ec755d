// Jepsen's counter checker: every read of a counter lies between the sum of the increments that
// completed ok before the read began (they surely happened) and the sum of every increment
// invoked before the read completed (all that could have happened). Per key; increments must be
// non-negative for the bounds to mean that (a negative delta makes the key unchecked).
import type { Operation } from '../types.ts';
import { opsByKey, type QuickCheckResult, type QuickFinding } from './quick-check.ts';

export function checkCounterBounds(ops: readonly Operation[]): QuickCheckResult {
  const byKey = opsByKey(ops);
  const findings: QuickFinding[] = [];
  let reads = 0;
  for (const [key, list] of byKey) {
    const incs = list.filter((o) => o.f === 'inc');
    if (incs.some((o) => typeof o.input !== 'number' || o.input < 0)) continue;
    // Lower bound: ok incs by completion time; upper: every inc by invoke time.
    const done = incs.filter((o) => o.status === 'ok').sort((a, b) => a.return - b.return);
    const started = [...incs].sort((a, b) => a.call - b.call);
    for (const r of list) {
      if (r.f !== 'read' || r.status !== 'ok' || typeof r.output !== 'number') continue;
      reads++;
      let lower = 0;
      for (const o of done) if (o.return < r.call) lower += o.input as number;
      let upper = 0;
      for (const o of started) if (o.call < r.return) upper += o.input as number;
      if (r.output < lower || r.output > upper) {
        findings.push({
          op: r.number,
          message: `read ${key} → ${r.output} (op #${r.number}) is outside [${lower}, ${upper}]: ${r.output < lower ? `${lower} had surely been added before it began` : `at most ${upper} could have been added before it returned`}`,
        });
      }
    }
  }
  return {
    checker: 'counter-bounds',
    valid: findings.length === 0,
    summary: findings.length === 0 ? `every one of ${reads} reads within its bounds` : `${findings.length} of ${reads} reads out of bounds`,
    findings,
  };
}
