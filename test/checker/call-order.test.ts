import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.ts';
import { linearizableInCallOrder } from '../../checker/search/call-order.ts';
import { Slab } from '../../checker/search/slab.ts';
import { models } from '../../checker/models/index.ts';
import { ops } from './helpers.ts';

const register = models.register!;

describe('the call-order pass before the search', () => {
  it('accepts a sequential history and one whose unknown ops never took effect', () => {
    const h = ops([
      { f: 'write', in: 1, t: [0, 1] },
      { f: 'write', in: 9, t: [2] }, // info: may never have happened
      { f: 'read', out: 1, t: [3, 4] },
    ]);
    expect(linearizableInCallOrder(register, h, 0)).toBe(true);
  });

  it('proves nothing when the call order is not a legal sequence, and the search still decides', async () => {
    // Valid, but only with the read placed after the write that was called later.
    const valid = ops([
      { f: 'read', out: 2, t: [0, 10] },
      { f: 'write', in: 2, t: [1, 2] },
    ]);
    expect(linearizableInCallOrder(register, valid, 0)).toBe(false);
    expect((await check(valid, { model: 'register', initial: 0 })).valid).toBe(true);
    // Invalid: the read returned before the write was called.
    const invalid = ops([
      { f: 'read', out: 2, t: [0, 1] },
      { f: 'write', in: 2, t: [2, 3] },
    ]);
    expect(linearizableInCallOrder(register, invalid, 0)).toBe(false);
    expect((await check(invalid, { model: 'register', initial: 0 })).valid).toBe(false);
  });

  it('gives up on ops that are not in call order rather than reorder them', () => {
    const h = ops([
      { f: 'write', in: 1, t: [5, 6] },
      { f: 'read', out: 1, t: [0, 7] },
    ]);
    expect(linearizableInCallOrder(register, h, 0)).toBe(false);
  });
});

describe('the slab kept between checks', () => {
  it('hands arrays out zero-filled after a check wrote into the borrowed buffer', () => {
    const a = Slab.borrow(100);
    const x = a.int32(64, -1);
    const y = a.float64(32);
    y.fill(3.5);
    expect(x[0]).toBe(-1);
    a.release();
    const b = Slab.borrow(100);
    const x2 = b.int32(64);
    const y2 = b.float64(32);
    expect(x2.every((v) => v === 0)).toBe(true);
    expect(y2.every((v) => v === 0)).toBe(true);
    // The same memory came back, so the zeroing is what made it clean.
    expect(x2.buffer).toBe(x.buffer);
    b.release();
  });

  it('two slabs borrowed at once do not share a buffer', () => {
    const a = Slab.borrow(100);
    const b = Slab.borrow(100);
    const xa = a.int32(16);
    const xb = b.int32(16);
    expect(xa.buffer).not.toBe(xb.buffer);
    a.release();
    b.release();
  });
});
