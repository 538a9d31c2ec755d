// The entry list's time order (insertion sorts and a merge) must equal the plain sort it
// replaced: by time, calls before returns at equal times, then by op.
import { describe, expect, it } from 'vitest';
import { timeOrder } from '../../checker/search/entry-list.ts';

function reference(call: Float64Array, ret: Float64Array): number[] {
  const nodes: number[] = [];
  for (let i = 0; i < call.length; i++) nodes.push(2 * i, 2 * i + 1);
  const time = (x: number) => ((x & 1) === 0 ? call[x >> 1] : ret[x >> 1]);
  return nodes.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
}

function random(seed: number, n: number, spread: number, sortedCalls: boolean) {
  let x = seed;
  const r = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const call = new Float64Array(n);
  const ret = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * 3); // ties on purpose
    call[i] = sortedCalls ? t : Math.floor(r() * n);
    ret[i] = call[i] + Math.floor(r() * spread);
  }
  return { call, ret };
}

describe('entry list time order', () => {
  it('equals the reference sort on histories with ties, overlaps and unsorted calls', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const n = 1 + (seed % 60);
      const { call, ret } = random(seed, n, seed % 3 === 0 ? 2 : seed % 3 === 1 ? 50 : 5000, seed % 7 !== 0);
      expect(Array.from(timeOrder({ okCount: n, call, ret })), `seed ${seed}`).toEqual(reference(call, ret));
    }
  });

  it('falls back to a real sort when returns come in reverse (no quadratic insertion)', () => {
    const n = 5000;
    const call = new Float64Array(n).map((_, i) => i);
    const ret = new Float64Array(n).map((_, i) => 3 * n - i);
    expect(Array.from(timeOrder({ okCount: n, call, ret }))).toEqual(reference(call, ret));
  });
});
