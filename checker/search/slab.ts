// Typed arrays for one partition carved from a few shared buffers. A typed array over 64 bytes
// costs V8 a separate backing store (about 1 µs to make and more to collect), against 0.03 µs
// for a view of an existing buffer; a small partition needs some twenty of them, so on tiny
// histories their allocation, not the search, was most of the time.
const ALIGN = 8;

export class Slab {
  private buffer: ArrayBuffer;
  private used = 0;

  /** `bytes`: about what the partition will ask for (more only costs another buffer). */
  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(Math.max(512, Math.min(1 << 20, bytes)));
  }

  /** Slab size for n ops: a partition's arrays take about 120 bytes per op and 600 more. */
  static forOps(n: number): Slab {
    return new Slab(128 * n + 640);
  }

  private take(bytes: number): [ArrayBuffer, number] {
    const size = this.buffer.byteLength;
    if (bytes > size / 2) return [new ArrayBuffer(bytes), 0];
    let off = (this.used + ALIGN - 1) & ~(ALIGN - 1);
    if (off + bytes > size) {
      this.buffer = new ArrayBuffer(size);
      off = 0;
    }
    this.used = off + bytes;
    return [this.buffer, off];
  }

  int32(n: number, fill = 0): Int32Array {
    const [b, o] = this.take(n * 4);
    const a = new Int32Array(b, o, n);
    if (fill !== 0) a.fill(fill);
    return a;
  }

  uint32(n: number): Uint32Array {
    const [b, o] = this.take(n * 4);
    return new Uint32Array(b, o, n);
  }

  uint8(n: number): Uint8Array {
    const [b, o] = this.take(n);
    return new Uint8Array(b, o, n);
  }

  float64(n: number): Float64Array {
    const [b, o] = this.take(n * 8);
    return new Float64Array(b, o, n);
  }
}
