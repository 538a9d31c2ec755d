// Jepsen's set-full checker: for every element added, when it was known to be in the set and
// whether reads agree. An element is *lost* if its add completed ok and no read that began after
// that completion contains it although such reads exist (or it vanished after being read: the
// last reads miss it). It is *stale* if some read that began after its add completed missed it,
// but a later read had it (allowed by eventual consistency, not by a linearizable set). Elements
// never read after their add are *never read*. Per key.
import type { Operation } from '../types.ts';
import { opsByKey, type QuickCheckResult, type QuickFinding } from './quick-check.ts';

function members(o: Operation): Set<unknown> | undefined {
  return o.f === 'read' && o.status === 'ok' && Array.isArray(o.output) ? new Set(o.output) : undefined;
}

export function checkSetFull(ops: readonly Operation[], opts: { linearizable?: boolean } = {}): QuickCheckResult {
  const linearizable = opts.linearizable ?? true;
  const byKey = opsByKey(ops);
  const findings: QuickFinding[] = [];
  let stable = 0;
  let lost = 0;
  let stale = 0;
  let neverRead = 0;
  for (const [key, list] of byKey) {
    const reads = list.filter((o) => members(o)).sort((a, b) => a.call - b.call);
    for (const add of list) {
      if (add.f !== 'add' || add.status !== 'ok') continue;
      const after = reads.filter((r) => r.call > add.return);
      if (after.length === 0) {
        neverRead++;
        continue;
      }
      const seen = after.map((r) => members(r)!.has(add.input));
      const lastSeen = seen.lastIndexOf(true);
      const firstMiss = seen.indexOf(false);
      if (lastSeen === -1 || lastSeen < seen.length - 1) {
        lost++;
        const r = after[lastSeen === -1 ? 0 : lastSeen + 1]!;
        findings.push({
          op: add.number,
          message: `lost: add ${key} ${JSON.stringify(add.input)} (op #${add.number}) returned ok, but ${lastSeen === -1 ? 'no read that began after it has it' : 'the reads after op #' + after[lastSeen]!.number + ' miss it'}, from read op #${r.number} on`,
        });
      } else if (firstMiss !== -1) {
        stale++;
        if (linearizable) {
          findings.push({
            op: add.number,
            message: `stale: add ${key} ${JSON.stringify(add.input)} (op #${add.number}) returned ok, but read op #${after[firstMiss]!.number}, which began after that, missed it (a later read had it)`,
          });
        }
      } else stable++;
    }
  }
  const valid = lost === 0 && (!linearizable || stale === 0);
  return {
    checker: 'set-full',
    valid,
    summary: `${stable} stable, ${lost} lost, ${stale} stale, ${neverRead} never read`,
    findings,
  };
}
