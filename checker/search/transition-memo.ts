// (state, op) → next state, remembered in open-addressing Int32Arrays: a JS Map keyed by
// state * ops + op overflows small integers on long histories and allocates on every insert.
import type { Slab } from './slab.ts';

const EMPTY = -1;

export class TransitionMemo {
  private states: Int32Array;
  private ops: Int32Array;
  private next: Int32Array;
  private count = 0;

  constructor(
    private readonly maxEntries = 1 << 22,
    expected = 2048,
    slab?: Slab,
  ) {
    const size = 1 << Math.max(4, Math.min(12, Math.ceil(Math.log2(expected * 2))));
    this.states = slab ? slab.int32(size, EMPTY) : new Int32Array(size).fill(EMPTY);
    this.ops = slab ? slab.int32(size) : new Int32Array(size);
    this.next = slab ? slab.int32(size) : new Int32Array(size);
  }

  private slot(s: number, i: number): number {
    let h = Math.imul(s, 0x9e3779b1) ^ Math.imul(i + 0x7f4a7c15, 0x85ebca6b);
    h ^= h >>> 16;
    const mask = this.states.length - 1;
    let k = h & mask;
    while (this.states[k] !== EMPTY && (this.states[k] !== s || this.ops[k] !== i)) k = (k + 1) & mask;
    return k;
  }

  /** The remembered next state, or -2 when unknown. */
  get(s: number, i: number): number {
    const k = this.slot(s, i);
    return this.states[k] === EMPTY ? -2 : this.next[k];
  }

  set(s: number, i: number, to: number): void {
    if (this.count * 2 >= this.states.length) {
      if (this.count >= this.maxEntries) this.clear();
      else this.grow();
    }
    const k = this.slot(s, i);
    if (this.states[k] === EMPTY) this.count++;
    this.states[k] = s;
    this.ops[k] = i;
    this.next[k] = to;
  }

  private clear(): void {
    this.states.fill(EMPTY);
    this.count = 0;
  }

  private grow(): void {
    const { states, ops, next } = this;
    const size = states.length * 2;
    this.states = new Int32Array(size).fill(EMPTY);
    this.ops = new Int32Array(size);
    this.next = new Int32Array(size);
    this.count = 0;
    for (let k = 0; k < states.length; k++) if (states[k] !== EMPTY) this.set(states[k], ops[k], next[k]);
  }
}
