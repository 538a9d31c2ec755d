// Wing & Gong's doubly linked list of call and return entries, as flat Int32Arrays ("dancing
// links"): lifting an op unlinks its two entries in O(1); undoing in LIFO order relinks them.
// Node 2i is op i's call, 2i+1 its return; sentinels head the ok list and one list per class
// of interchangeable info ops. Ops of unknown outcome never return, so they have no return
// entry and live in their class's list, sorted by call: they never block anything, and may be
// placed whenever they help (the earliest pending one of a class stands for all of them).
import type { Problem } from './problem.ts';

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
  const next = new Int32Array(2 * n + 1 + p.classCount).fill(NIL);
  const prev = new Int32Array(2 * n + 1 + p.classCount).fill(NIL);

  const okNodes: number[] = [];
  for (let i = 0; i < p.okCount; i++) okNodes.push(2 * i, 2 * i + 1);
  // By time; at equal times calls first, so ops that touch in time count as concurrent
  // (the lenient reading: it can only accept more histories, never reject a linearizable one).
  const time = (x: number) => ((x & 1) === 0 ? p.call[x >> 1] : p.ret[x >> 1]);
  okNodes.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
  const classNodes: number[][] = Array.from({ length: p.classCount }, () => []);
  for (let i = p.okCount; i < n; i++) classNodes[p.infoClass[i]][p.infoRank[i]] = 2 * i;

  const chain = (sentinel: number, nodes: number[]) => {
    let last = sentinel;
    for (const x of nodes) {
      next[last] = x;
      prev[x] = last;
      last = x;
    }
  };
  chain(head, okNodes);
  classNodes.forEach((nodes, c) => chain(classHead + c, nodes));
  return { next, prev, head, classHead };
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
