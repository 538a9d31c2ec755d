// Jepsen's unique-ids checker: every `generate` that completed ok returned an id no other did.
import type { Operation } from '../types.ts';
import { stringifyExact } from '../formats/exact-json.ts';
import type { QuickCheckResult, QuickFinding } from './quick-check.ts';

export function checkUniqueIds(ops: readonly Operation[]): QuickCheckResult {
  const seen = new Map<string, Operation>();
  const findings: QuickFinding[] = [];
  let ok = 0;
  for (const o of ops) {
    if (o.f !== 'generate' || o.status !== 'ok') continue;
    ok++;
    const id = stringifyExact(o.output);
    const first = seen.get(id);
    if (first) findings.push({ op: o.number, message: `duplicate id ${id}: op #${o.number} got what op #${first.number} got` });
    else seen.set(id, o);
  }
  return {
    checker: 'unique-ids',
    valid: findings.length === 0,
    summary: findings.length === 0 ? `${ok} ids, all distinct` : `${findings.length} duplicate ids among ${ok}`,
    findings,
  };
}
