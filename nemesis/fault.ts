// A fault the nemesis can start and later stop. Each start and stop becomes one `nemesis` event in
// the history ({"process":"nemesis","type":"info","f":"start-kill","value":{…}}), so the report can
// shade the window and a reader can see which nodes were hit.
import type { DB } from '../src/system/db.ts';
import { leaderOf } from '../src/system/capabilities.ts';
import type { Rng } from '../workloads/rng.ts';

import type { FaultKind } from '../src/system/fault-kinds.ts';

export { FAULT_KINDS, type FaultKind } from '../src/system/fault-kinds.ts';

export interface FaultContext {
  db: DB;
  rng: Rng;
  /** The failpoints a failpoint turn may arm (`--failpoints`); every one the system has when absent or empty. */
  failpoints?: readonly string[];
}

/** What a start or stop did, as recorded in the history (`f` is `start-<kind>` / `stop-<kind>`). */
export interface FaultEvent {
  f: string;
  value: Record<string, unknown>;
}

/**
 * A started fault: stopping it undoes exactly what it did. A fault that does several things
 * (a membership replacement adds one node and removes another) records one event for each.
 */
export interface ActiveFault {
  kind: FaultKind;
  /** Human summary for the progress line, e.g. "kill n2". */
  label: string;
  stop(): Promise<FaultEvent | FaultEvent[]>;
}

export interface Fault {
  kind: FaultKind;
  start(ctx: FaultContext): Promise<{ event: FaultEvent | FaultEvent[]; active: ActiveFault }>;
}

/**
 * Nodes the fault may hit without taking down a majority: the leader (half the time: leader
 * changes are where consensus bugs live, as Jepsen's "primaries" targeting knows), one random
 * node, or a random minority.
 */
export async function pickMinorityTarget(ctx: FaultContext): Promise<{ nodes: string[]; target: string }> {
  const ids = ctx.db.nodes().map((n) => n.id);
  const mode = ctx.rng.pick(['leader', 'leader', 'one', 'minority'] as const);
  if (mode === 'leader') {
    const leader = await leaderOf(ctx.db);
    if (leader && ids.includes(leader)) return { nodes: [leader], target: 'leader' };
  }
  const count = mode === 'minority' ? Math.max(1, Math.floor((ids.length - 1) / 2)) : 1;
  return { nodes: shuffle(ids, ctx.rng).slice(0, count), target: mode === 'leader' ? 'one' : mode };
}

export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
