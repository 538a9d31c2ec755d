// A stale read proven without a search. Say op a surely took effect before an observer g began
// (a is ok and returned before g was invoked), and the model says that once a has taken effect
// g can never be legal again unless one of g's rescuers takes effect afterwards (Reach.dooms:
// after an append of w, a get of a value without w). Then every order needs a rescuer between a
// and g, and a rescuer r can sit there only if it had not returned before a began and had been
// invoked by the time g returned. When none can, no order works, whatever the other ops do: the
// partition is not linearizable. The search proves the same by exhausting every order of the ops
// before g, which on a busy key (fifty clients) takes from a millisecond to seconds.
//
// Only the few writers that returned last before g began are tried for each observer: a stale
// read usually misses a recent write, and a bounded look keeps this linear. Missing a proof costs
// nothing but time (the search still decides); a proof found is a proof.
import { byTime } from './entry-list.ts';
import type { Problem } from './problem.ts';

export interface StaleProof {
  /** The observer that cannot be placed (the search's op number). */
  observer: number;
  /** The op that returned before the observer began and dooms it. */
  writer: number;
}

/** Writers tried per observer, latest-returning first. */
const RECENT = 8;

/** Runs on the compiled partition: its typed arrays, not the ops (ops of many shapes read slowly). */
export function findStaleProof(p: Problem): StaleProof | undefined {
  const reach = p.modelReach;
  if (reach?.dooms === undefined || reach.rescuerGroups === undefined) return undefined;
  const { call, ret, readOnly, prepared, okCount } = p;
  let writerCount = 0;
  for (let i = 0; i < okCount; i++) if (readOnly[i] === 0) writerCount++;
  if (writerCount === 0) return undefined;
  // The writers by return.
  const ops = new Int32Array(writerCount);
  const opRets = new Float64Array(writerCount);
  for (let i = 0, w = 0; i < okCount; i++) {
    if (readOnly[i] !== 0) continue;
    ops[w] = i;
    opRets[w++] = ret[i]!;
  }
  const order = byTime(opRets, writerCount, p.slab);
  const writers = new Int32Array(writerCount);
  const rets = new Float64Array(writerCount);
  for (let k = 0; k < writerCount; k++) {
    writers[k] = ops[order[k]!]!;
    rets[k] = opRets[order[k]!]!;
  }
  // Rescuer groups are shared by observers (a group per put value): each is sorted by call once,
  // with the latest return so far, so a fence is a binary search per group.
  const fences = new Map<readonly number[], { calls: number[]; latest: number[] }>();
  const { rescuerFence } = {
    rescuerFence(group: readonly number[], by: number): number {
      let f = fences.get(group);
      if (f === undefined) {
        const at = [...group].sort((x, y) => call[x]! - call[y]! || x - y);
        const calls: number[] = [];
        const latest: number[] = [];
        let most = -Infinity;
        for (const j of at) {
          calls.push(call[j]!);
          latest.push((most = Math.max(most, ret[j]!)));
        }
        fences.set(group, (f = { calls, latest }));
      }
      // The rescuers invoked by `by` are the first ones by call.
      const invoked = countBelow(f.calls, by, true);
      return invoked === 0 ? -Infinity : f.latest[invoked - 1]!;
    },
  };
  for (let g = 0; g < okCount; g++) {
    if (readOnly[g] === 0) continue;
    // Writers that returned before g was invoked: the first `lo` of them.
    const lo = countBelow(rets, call[g]!, false);
    // The latest return among g's rescuers that may come before g (invoked by g's return); a
    // rescuer fits after a exactly when its return is at or after a's call. Asked only once a
    // writer dooms g: most observers are fine, and listing rescuers can cost.
    let fence: number | undefined;
    for (let k = lo - 1, tried = 0; k >= 0 && tried < RECENT; k--, tried++) {
      const a = writers[k]!;
      if (fence !== undefined && rets[k]! <= fence) break;
      // A rescuer that returned before g began fences every writer that returned before it.
      if (reach.rescues?.(prepared[a], prepared[g])) break;
      if (!reach.dooms(prepared[a], prepared[g])) continue;
      if (fence === undefined) {
        fence = -Infinity;
        for (const group of reach.rescuerGroups(prepared[g])) fence = Math.max(fence, rescuerFence(group, ret[g]!));
        if (rets[k]! <= fence) break;
      }
      if (call[a]! > fence) return { observer: g, writer: a };
    }
  }
  return undefined;
}

/** How many entries of an ascending array are below x (or at most x, with `orEqual`). */
function countBelow(sorted: ArrayLike<number>, x: number, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x || (orEqual && sorted[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
