// Liveness from the history: after each healed fault, the time until an op succeeds again, and
// --max-recovery failing a run that does not come back in time.
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../checker/types.ts';
import { recoveryAfterFaults, recoveryProblem, recoverySummary, unavailableWindows, windowsSummary } from '../../src/runner/recovery.ts';

const ev = (process: HistoryEvent['process'], type: HistoryEvent['type'], f: string, time: number): HistoryEvent => ({ process, type, f, value: null, time });

describe('recovery after faults', () => {
  const history = [
    ev(0, 'invoke', 'read', 0), ev(0, 'ok', 'read', 1e8),
    ev('nemesis', 'info', 'start-kill', 2e8), ev('nemesis', 'info', 'stop-kill', 1e9),
    ev(1, 'invoke', 'read', 1.1e9), ev(1, 'fail', 'read', 1.2e9), ev(1, 'invoke', 'read', 1.3e9), ev(1, 'ok', 'read', 1.5e9),
    ev('nemesis', 'info', 'start-partition', 2e9), ev('nemesis', 'info', 'stop-partition', 3e9),
  ];

  it('measures from each heal to the next ok completion; never, when none came', () => {
    expect(recoveryAfterFaults(history)).toEqual([
      { fault: 'kill', healedAt: 1e9, recoveredAfterMs: 500 },
      { fault: 'partition', healedAt: 3e9, recoveredAfterMs: null },
    ]);
    expect(recoverySummary(recoveryAfterFaults(history))).toBe('kill 0.50 s, partition never (slowest never)');
  });

  it('a fault healed by the final heal is measured but not held to the limit', () => {
    const r = recoveryAfterFaults(history, 2.5e9);
    expect(r[1]).toMatchObject({ fault: 'partition', atEnd: true });
    expect(recoveryProblem(r, 10)).toBeUndefined();
    expect(recoverySummary(r)).toBe('kill 0.50 s (slowest 0.50 s)');
  });

  it('--max-recovery names the fault it did not recover from', () => {
    const r = recoveryAfterFaults(history);
    expect(recoveryProblem(r, null)).toBeUndefined();
    expect(recoveryProblem(r.slice(0, 1), 1)).toBeUndefined();
    expect(recoveryProblem(r.slice(0, 1), 0.2)).toBe('did not recover within 0.2 s after kill (healed at 1.000 s): the first op succeeded 0.50 s later');
    expect(recoveryProblem(r, 10)).toBe('did not recover within 10 s after partition (healed at 3.000 s): no op succeeded after it');
  });

  it('finds the stretches with no ok op for 250 ms or more, up to the end of the workload', () => {
    const w = unavailableWindows(history, 4e9);
    expect(w).toEqual([{ from: 1e8, to: 1.5e9 }, { from: 1.5e9, to: 4e9 }]);
    expect(windowsSummary(w)).toBe('2× (longest 2.50 s, from 1.500 s)');
    expect(windowsSummary(unavailableWindows(history.slice(0, 2)))).toBe('none of 250 ms or more');
  });
});
