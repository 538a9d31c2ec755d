// State key → state id, for models that hash their states step by step (Model.hash). A JS
// Map must hash every new key in full: for kv, each new state is a fresh concatenation that
// V8 flattens and hashes, a quarter of a small check's time. Here a new state's hash comes
// from its parent's in O(1), and the full key is compared only when the hashes match.
// Open addressing over Int32Arrays, as in cache.ts and transition-memo.ts.
import type { StateKey } from '../models/model.ts';
import type { Slab } from './slab.ts';

export class HashedIndex {
  /** id + 1 per slot, 0 when empty. */
  private table: Int32Array;
  private shift: number;
  /** By id. */
  private hashes: Int32Array;
  private readonly keys: StateKey[] = [];

  /** `expected`: about how many states to make room for first (it grows past that). */
  constructor(expected: number, slab?: Slab) {
    const bits = Math.max(4, Math.min(20, Math.ceil(Math.log2(expected * 2))));
    this.table = slab ? slab.int32(1 << bits) : new Int32Array(1 << bits);
    this.shift = 32 - bits;
    this.hashes = slab ? slab.int32(1 << (bits - 1)) : new Int32Array(1 << (bits - 1));
  }

  /** The hash given when state `id` was added. */
  hashOf(id: number): number {
    return this.hashes[id]!;
  }

  /**
   * The id of the state with this key, or `next` after adding it as that (the caller's next
   * id): one probe either way. Equal keys must come with equal hashes (Model.hash's contract).
   */
  intern(key: StateKey, hash: number, next: number): number {
    const table = this.table;
    const mask = table.length - 1;
    // Multiplicative hashing: the slot comes from the product's high bits, which mix all of
    // the hash's (a polynomial string hash is weak in its low ones).
    let k = Math.imul(hash, 0x9e3779b1) >>> this.shift;
    for (let e = table[k]!; e !== 0; e = table[k]!) {
      if (this.hashes[e - 1] === hash && this.keys[e - 1] === key) return e - 1;
      k = (k + 1) & mask;
    }
    table[k] = next + 1;
    if (next >= this.hashes.length) {
      const bigger = new Int32Array(this.hashes.length * 2);
      bigger.set(this.hashes);
      this.hashes = bigger;
    }
    this.hashes[next] = hash;
    this.keys[next] = key;
    if (2 * this.keys.length > table.length) this.grow();
    return next;
  }

  private grow(): void {
    const old = this.table;
    const table = new Int32Array(old.length * 2);
    const mask = table.length - 1;
    this.shift--;
    for (let j = 0; j < old.length; j++) {
      const e = old[j]!;
      if (e === 0) continue;
      let k = Math.imul(this.hashes[e - 1]!, 0x9e3779b1) >>> this.shift;
      while (table[k] !== 0) k = (k + 1) & mask;
      table[k] = e;
    }
    this.table = table;
  }
}
