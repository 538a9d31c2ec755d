// Configurations already explored: (linearized set, state). Porcupine keeps a map from bitset
// hash to a list of full bitsets; here every entry is a few int32s in one growable arena and
// the table is open addressing over Int32Arrays, so the hot loop allocates nothing and memory
// is counted exactly (a cap turns into an `unknown` verdict, never an out-of-memory crash).
import type { LinearizedSet } from './bitset.ts';
import type { Slab } from './slab.ts';

const EMPTY = -1;

export class VisitedSet {
  private slots: Int32Array;
  private hashes: Int32Array;
  private arena: Int32Array;
  private used = 0;
  private count = 0;

  /** `expected`: about how many entries to make room for first (it grows past that). */
  constructor(
    private readonly set: LinearizedSet,
    expected = 2048,
    slab?: Slab,
  ) {
    // Sized to the partition: a tiny one would spend more zeroing a big table than searching.
    const size = 1 << Math.max(4, Math.min(12, Math.ceil(Math.log2(expected * 2))));
    this.slots = slab ? slab.int32(size, EMPTY) : new Int32Array(size).fill(EMPTY);
    this.hashes = slab ? slab.int32(size) : new Int32Array(size);
    this.arena = slab ? slab.int32(size * 4) : new Int32Array(size * 4);
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.slots.byteLength + this.hashes.byteLength + this.arena.byteLength;
  }

  /** Adds the set's current contents with `state`; false when that pair was already there. */
  add(state: number): boolean {
    const s = this.set;
    let h = Math.imul(s.hash ^ Math.imul(state + 1, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    const mask = this.slots.length - 1;
    const start = s.windowStart();
    const len = s.windowLength();
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const off = this.slots[slot];
      if (off === EMPTY) {
        this.insert(slot, h, state, start, len);
        return true;
      }
      if (this.hashes[slot] === h && this.matches(off, state, start, len)) return false;
    }
  }

  private matches(off: number, state: number, start: number, len: number): boolean {
    const a = this.arena;
    if (a[off] !== state || a[off + 1] !== start || a[off + 2] !== len) return false;
    const ok = this.set.ok;
    let p = off + 3;
    for (let w = 0; w < len; w++) if (a[p++] !== (ok[start + w] | 0)) return false;
    const info = this.set.infoCounts;
    for (let w = 0; w < info.length; w++) if (a[p++] !== (info[w] | 0)) return false;
    return true;
  }

  private insert(slot: number, h: number, state: number, start: number, len: number): void {
    const info = this.set.infoCounts;
    const need = 3 + len + info.length;
    if (this.used + need > this.arena.length) {
      const bigger = new Int32Array(Math.max(this.arena.length * 2, this.used + need));
      bigger.set(this.arena.subarray(0, this.used));
      this.arena = bigger;
    }
    const a = this.arena;
    const off = this.used;
    a[off] = state;
    a[off + 1] = start;
    a[off + 2] = len;
    let p = off + 3;
    const ok = this.set.ok;
    for (let w = 0; w < len; w++) a[p++] = ok[start + w] | 0;
    for (let w = 0; w < info.length; w++) a[p++] = info[w] | 0;
    this.used = p;
    this.slots[slot] = off;
    this.hashes[slot] = h;
    if (++this.count * 2 > this.slots.length) this.grow();
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    const size = oldSlots.length * 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.hashes = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < oldSlots.length; i++) {
      if (oldSlots[i] === EMPTY) continue;
      let slot = oldHashes[i] & mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.slots[slot] = oldSlots[i];
      this.hashes[slot] = oldHashes[i];
    }
  }
}
