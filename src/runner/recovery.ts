// Liveness, measured from the history: after each fault is healed, how long until a client op
// succeeds again. Safety checks pass a cluster that stops answering (two proposers outbidding
// each other forever lose no data); this is what catches it. Times are the history's (ns).
import type { HistoryEvent } from '../../checker/types.ts';

export interface Recovery {
  /** The fault as its stop event names it: `kill`, `partition`, … */
  fault: string;
  /** When the fault ended (ns since the test start). */
  healedAt: number;
  /** Milliseconds from the heal to the first ok completion after it; null: none came. */
  recoveredAfterMs: number | null;
  /**
   * Healed by the final heal, after the workload ended: the next op is a final read after the
   * quiesce, so this time says nothing about the system and no limit applies to it.
   */
  atEnd?: true;
}

/** One entry per healed fault (`stop-<kind>` events), in history order; `workloadEnd` (ns) marks the final heal. */
export function recoveryAfterFaults(events: readonly HistoryEvent[], workloadEnd = Infinity): Recovery[] {
  const okTimes: number[] = [];
  for (const e of events) if (e.process !== 'nemesis' && e.type === 'ok') okTimes.push(e.time);
  const out: Recovery[] = [];
  let i = 0;
  for (const e of events) {
    if (e.process !== 'nemesis') continue;
    const m = /^stop-(.+)$/.exec(e.f);
    if (!m) continue;
    while (i < okTimes.length && okTimes[i]! <= e.time) i++;
    out.push({
      fault: m[1]!,
      healedAt: e.time,
      recoveredAfterMs: i < okTimes.length ? (okTimes[i]! - e.time) / 1e6 : null,
      ...(e.time >= workloadEnd ? { atEnd: true as const } : {}),
    });
  }
  return out;
}

export interface Window {
  /** ns since the test start */
  from: number;
  to: number;
}

/** A gap with no successful op at least this long counts as unavailability. */
export const UNAVAILABLE_MS = 250;

/**
 * The stretches of the workload (until `workloadEnd`, ns) in which no client op completed ok for
 * at least `minMs`: the unavailability the clients saw, fault or no fault.
 */
export function unavailableWindows(events: readonly HistoryEvent[], workloadEnd = Infinity, minMs = UNAVAILABLE_MS): Window[] {
  const out: Window[] = [];
  let last: number | undefined;
  let end = 0;
  for (const e of events) {
    if (e.time > workloadEnd) break;
    end = e.time;
    if (e.process === 'nemesis' || e.type !== 'ok') continue;
    if (last !== undefined && e.time - last >= minMs * 1e6) out.push({ from: last, to: e.time });
    last = e.time;
  }
  if (last !== undefined && Number.isFinite(workloadEnd) && workloadEnd - last >= minMs * 1e6) out.push({ from: last, to: Math.max(end, workloadEnd) });
  return out;
}

export function windowsSummary(windows: readonly Window[]): string {
  if (windows.length === 0) return `none of ${UNAVAILABLE_MS} ms or more`;
  const longest = windows.reduce((a, b) => (b.to - b.from > a.to - a.from ? b : a));
  return `${windows.length}× (longest ${((longest.to - longest.from) / 1e9).toFixed(2)} s, from ${(longest.from / 1e9).toFixed(3)} s)`;
}

/** Why the run fails `--max-recovery S`, or undefined when every fault was recovered from in time. */
export function recoveryProblem(recoveries: readonly Recovery[], maxRecoveryS: number | null): string | undefined {
  if (maxRecoveryS === null) return undefined;
  const late = recoveries.find((r) => !r.atEnd && (r.recoveredAfterMs === null || r.recoveredAfterMs > maxRecoveryS * 1000));
  if (!late) return undefined;
  const at = `${(late.healedAt / 1e9).toFixed(3)} s`;
  return late.recoveredAfterMs === null
    ? `did not recover within ${maxRecoveryS} s after ${late.fault} (healed at ${at}): no op succeeded after it`
    : `did not recover within ${maxRecoveryS} s after ${late.fault} (healed at ${at}): the first op succeeded ${(late.recoveredAfterMs / 1000).toFixed(2)} s later`;
}

export function recoverySummary(recoveries: readonly Recovery[]): string {
  const timed = recoveries.filter((r) => !r.atEnd);
  if (timed.length === 0) return 'no fault healed during the workload';
  const shown = timed.map((r) => `${r.fault} ${r.recoveredAfterMs === null ? 'never' : `${(r.recoveredAfterMs / 1000).toFixed(2)} s`}`);
  const worst = Math.max(...timed.map((r) => (r.recoveredAfterMs === null ? Infinity : r.recoveredAfterMs)));
  return `${shown.join(', ')} (slowest ${Number.isFinite(worst) ? `${(worst / 1000).toFixed(2)} s` : 'never'})`;
}
