// The set of linearized ops, kept so that (a) its hash updates in O(1) per op (Zobrist: XOR
// of a random word per member) and (b) it has a short exact identity. ok ops are numbered by
// call time, and the search can only place ops near the frontier, so the ok part is "every
// op below L, plus a few in a small window above L": its identity is L's word plus that window,
// a handful of words however long the history. Ops of unknown outcome come in classes of
// interchangeable ops of which the search only places the earliest pending (see wgl.ts), so
// the placed ones of a class are always a prefix of it: one count per class says which.
import { Slab } from './slab.ts';

export class LinearizedSet {
  readonly ok: Uint32Array;
  /** Per info class, how many of its ops (the earliest by call) are placed. */
  readonly infoCounts: Int32Array;
  private readonly infoClass: Int32Array;
  private readonly infoRank: Int32Array;
  readonly zobrist: Int32Array;
  /** Lowest ok op not in the set (okCount when all are). */
  low = 0;
  /** Highest ok op in the set, -1 if none. */
  high = -1;
  hash = 0;
  okSize = 0;

  /** Without classes, every info op is its own class. */
  constructor(
    readonly okCount: number,
    total: number,
    classes?: { infoClass: Int32Array; infoRank: Int32Array; classCount: number },
    slab = Slab.forOps(total),
  ) {
    this.ok = slab.uint32(Math.max(1, Math.ceil(okCount / 32)));
    if (classes) {
      this.infoClass = classes.infoClass;
      this.infoRank = classes.infoRank;
      this.infoCounts = slab.int32(classes.classCount);
    } else {
      this.infoClass = new Int32Array(total).map((_, i) => i - okCount);
      this.infoRank = new Int32Array(total);
      this.infoCounts = new Int32Array(Math.max(0, total - okCount));
    }
    this.zobrist = slab.int32(total);
    let x = 0x9e3779b9 ^ total;
    for (let i = 0; i < total; i++) {
      // xorshift32: cheap, deterministic, well spread.
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.zobrist[i] = x;
    }
  }

  add(i: number): void {
    this.hash ^= this.zobrist[i];
    if (i >= this.okCount) {
      // Only ever the next of its class (the search's rule), so a count suffices.
      this.infoCounts[this.infoClass[i]]++;
      return;
    }
    this.ok[i >>> 5] |= 1 << (i & 31);
    this.okSize++;
    if (i > this.high) this.high = i;
    if (i === this.low) {
      let l = i + 1;
      while (l < this.okCount && (this.ok[l >>> 5] & (1 << (l & 31))) !== 0) l++;
      this.low = l;
    }
  }

  remove(i: number): void {
    this.hash ^= this.zobrist[i];
    if (i >= this.okCount) {
      this.infoCounts[this.infoClass[i]]--;
      return;
    }
    this.ok[i >>> 5] &= ~(1 << (i & 31));
    this.okSize--;
    if (i < this.low) this.low = i;
    if (i === this.high) {
      let h = i - 1;
      while (h >= 0 && (this.ok[h >>> 5] & (1 << (h & 31))) === 0) h--;
      this.high = h;
    }
  }

  has(i: number): boolean {
    if (i >= this.okCount) return this.infoRank[i] < this.infoCounts[this.infoClass[i]];
    return (this.ok[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** First word of the ok window (every ok word below it is full). */
  windowStart(): number {
    return this.low >>> 5;
  }

  /** Words in the ok window: from L's word to the highest member's word, at least one. */
  windowLength(): number {
    const start = this.low >>> 5;
    const end = this.high >>> 5;
    return this.high < 0 || end < start ? 1 : end - start + 1;
  }
}
