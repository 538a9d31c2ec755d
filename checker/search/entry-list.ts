// Wing & Gong's doubly linked list of call and return entries, as flat Int32Arrays ("dancing
// links"): lifting an op unlinks its two entries in O(1); undoing in LIFO order relinks them.
// Node 2i is op i's call, 2i+1 its return; sentinels head the ok list and one list per class
// of interchangeable info ops. Ops of unknown outcome never return, so they have no return
// entry and live in their class's list, sorted by call: they never block anything, and may be
// placed whenever they help (the earliest pending one of a class stands for all of them).
import type { Problem } from './problem.ts';
import { Slab } from './slab.ts';

export const NIL = -1;

export interface EntryList {
  next: Int32Array;
  prev: Int32Array;
  /** Sentinel of the ok list (calls and returns by time). */
  head: number;
  /** Sentinel of info class c's list is classHead + c (calls only, by time). */
  classHead: number;
}

export function buildEntryList(p: Problem): EntryList {
  const n = p.ops.length;
  const head = 2 * n;
  const classHead = 2 * n + 1;
  const next = p.slab.int32(2 * n + 1 + p.classCount, NIL);
  const prev = p.slab.int32(2 * n + 1 + p.classCount, NIL);

  const okNodes = timeOrder(p, p.slab);
  // A loop, not Array.from({ length }): that generic path was 2% of a tiny check.
  const classNodes: number[][] = new Array(p.classCount);
  for (let c = 0; c < p.classCount; c++) classNodes[c] = [];
  for (let i = p.okCount; i < n; i++) classNodes[p.infoClass[i]][p.infoRank[i]] = 2 * i;

  chain(next, prev, head, okNodes);
  classNodes.forEach((nodes, c) => chain(next, prev, classHead + c, nodes));
  return { next, prev, head, classHead };
}

// Module-level, not closures: see the note in wgl.ts run() (tsx's keepNames).
function chain(next: Int32Array, prev: Int32Array, sentinel: number, nodes: ArrayLike<number>): void {
  let last = sentinel;
  for (let k = 0; k < nodes.length; k++) {
    const x = nodes[k];
    next[last] = x;
    prev[x] = last;
    last = x;
  }
}

/**
 * The ok ops' call and return entries by time; at equal times calls first, so ops that touch in
 * time count as concurrent (the lenient reading: it can only accept more histories, never reject
 * a linearizable one). Ops come in invoke order, so calls are already sorted and returns nearly
 * so: two insertion sorts (linear on sorted input) and a merge, instead of a general sort.
 */
export function timeOrder(p: Pick<Problem, 'okCount' | 'call' | 'ret'>, slab = Slab.forOps(p.okCount)): Int32Array {
  const m = p.okCount;
  const sortedCalls = isSorted(p.call, m) ? null : byTime(p.call, m, slab);
  const returns = byTime(p.ret, m, slab);
  const out = slab.int32(2 * m);
  let a = 0;
  let b = 0;
  for (let k = 0; k < 2 * m; k++) {
    const ci = a < m ? (sortedCalls ? sortedCalls[a] : a) : -1;
    if (ci !== -1 && (b >= m || p.call[ci] <= p.ret[returns[b]])) {
      out[k] = 2 * ci;
      a++;
    } else {
      out[k] = 2 * returns[b++] + 1;
    }
  }
  return out;
}

/**
 * Indices 0..m-1 sorted by t (ties by index). Times of ops in invoke order are nearly sorted:
 * an insertion sort is linear on them, and a general sort takes over when many are out of order.
 */
export function byTime(t: Float64Array, m: number, slab: Slab): Int32Array {
  const idx = slab.int32(m);
  // Insertion sort costs one move per pair of ops out of order: bounded, then a real sort.
  let moves = 0;
  const most = 32 * m + 1024;
  for (let i = 0; i < m; i++) {
    let j = i;
    while (j > 0 && t[idx[j - 1]] > t[i]) {
      idx[j] = idx[j - 1];
      j--;
      if (++moves > most) return Int32Array.from(idx.keys()).sort((x, y) => t[x] - t[y] || x - y);
    }
    idx[j] = i;
  }
  return idx;
}

function isSorted(t: Float64Array, m: number): boolean {
  for (let i = 1; i < m; i++) if (t[i] < t[i - 1]) return false;
  return true;
}

export function unlink(l: EntryList, x: number): void {
  const { next, prev } = l;
  const a = prev[x];
  const b = next[x];
  next[a] = b;
  if (b !== NIL) prev[b] = a;
}

/** Undoes `unlink(x)`; valid only in reverse order of the unlinks (the search is a stack). */
export function relink(l: EntryList, x: number): void {
  const { next, prev } = l;
  next[prev[x]] = x;
  const b = next[x];
  if (b !== NIL) prev[b] = x;
}
