// Typed arrays for one partition carved from a few shared buffers. A typed array over 64 bytes
// costs V8 a separate backing store (about 1 µs to make and more to collect), against 0.03 µs
// for a view of an existing buffer; a small partition needs some twenty of them, so on tiny
// histories their allocation, not the search, was most of the time. Even one buffer per check
// showed in the profile of a tiny file, so a check that knows when it is done (checkSync)
// borrows a buffer kept between checks, handed back zeroed.
const ALIGN = 8;
const MIN_BYTES = 512;
const MAX_BYTES = 1 << 20;
/** The buffer kept between checks, when no check holds it. */
let spare: ArrayBuffer | undefined;

export class Slab {
  /** Made on the first request: a check whose partitions all pass without a search needs none. */
  private buffer?: ArrayBuffer;
  private used = 0;
  private readonly size: number;
  /** The spare buffer while this slab holds it, and how much of it was handed out. */
  private borrowed?: ArrayBuffer;
  private borrowedUsed = 0;

  /** `bytes`: about what the partition will ask for (more only costs another buffer). */
  constructor(bytes: number) {
    this.size = Math.max(MIN_BYTES, Math.min(MAX_BYTES, bytes));
  }

  /**
   * Slab size for n ops: a partition's own arrays take about 120 bytes per op and 600 more, its
   * two hash tables (search/cache.ts, search/transition-memo.ts) up to 4 slots per op at 36
   * bytes a slot, and a hashed state index (search/hashed-index.ts) 24 bytes per op. Too small
   * a guess costs a second buffer per check, a tenth of a tiny one.
   */
  static forOps(n: number): Slab {
    return new Slab(288 * n + 1024);
  }

  /**
   * As forOps, starting from the spare buffer when it is free and big enough. The caller must
   * `release()` once nothing it was given is used any more.
   */
  static borrow(n: number): Slab {
    const slab = Slab.forOps(n);
    if (spare !== undefined && spare.byteLength >= slab.size) {
      slab.buffer = slab.borrowed = spare;
      spare = undefined;
    }
    return slab;
  }

  /** Hands a buffer back as the spare, zeroed (the arrays given out are assumed zero-filled). */
  release(): void {
    let b: ArrayBuffer | undefined;
    let used = 0;
    if (this.borrowed !== undefined) {
      b = this.borrowed;
      used = this.buffer === this.borrowed ? this.used : this.borrowedUsed;
    } else if (this.buffer !== undefined) {
      b = this.buffer;
      used = this.used;
    }
    this.borrowed = this.buffer = undefined;
    if (b === undefined || (spare !== undefined && spare.byteLength >= b.byteLength)) return;
    new Uint8Array(b, 0, used).fill(0);
    spare = b;
  }

  /** Where the last `take` put its bytes (fields, not a returned pair: one allocation fewer per array). */
  private takenBuffer!: ArrayBuffer;
  private takenOffset = 0;

  private take(bytes: number): void {
    const size = this.size;
    if (bytes > size / 2) {
      this.takenBuffer = new ArrayBuffer(bytes);
      this.takenOffset = 0;
      return;
    }
    let off = (this.used + ALIGN - 1) & ~(ALIGN - 1);
    if (this.buffer === undefined || off + bytes > this.buffer.byteLength) {
      if (this.buffer !== undefined && this.buffer === this.borrowed) this.borrowedUsed = this.used;
      this.buffer = new ArrayBuffer(size);
      off = 0;
    }
    this.used = off + bytes;
    this.takenBuffer = this.buffer;
    this.takenOffset = off;
  }

  int32(n: number, fill = 0): Int32Array {
    this.take(n * 4);
    const a = new Int32Array(this.takenBuffer, this.takenOffset, n);
    if (fill !== 0) a.fill(fill);
    return a;
  }

  uint32(n: number): Uint32Array {
    this.take(n * 4);
    return new Uint32Array(this.takenBuffer, this.takenOffset, n);
  }

  uint8(n: number): Uint8Array {
    this.take(n);
    return new Uint8Array(this.takenBuffer, this.takenOffset, n);
  }

  float64(n: number): Float64Array {
    this.take(n * 8);
    return new Float64Array(this.takenBuffer, this.takenOffset, n);
  }
}
