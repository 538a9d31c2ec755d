// Every cap follows --memory, and an unknown verdict names the cap that was hit. Before, a fixed
// cap of 2^23 distinct states ended hard histories `unknown (memory)` whatever --memory said.
import { describe, expect, it } from 'vitest';
import { ChunkedMap, compileProblem, statesCapFor } from '../../checker/search/problem.ts';
import { search } from '../../checker/search/wgl.ts';
import { models } from '../../checker/models/index.ts';
import { ops } from './helpers.ts';

describe('memory caps', () => {
  it('the distinct-state cap is a parameter, and hitting it says so', () => {
    const h = ops(Array.from({ length: 12 }, (_, i) => ({ p: 0, f: 'write', key: 'x', in: i, out: i, t: [2 * i, 2 * i + 1] as [number, number] })));
    const p = compileProblem(models.register, h, 0, 5);
    expect(search(p)).toMatchObject({ valid: 'unknown', reason: 'memory', limit: expect.stringMatching(/reached 5 distinct states \(the cap that follows --memory\)/) });
    expect(search(compileProblem(models.register, h, 0, 100)).valid).toBe(true);
  });

  it('the cap follows --memory: 16000 MB allows far more states than the old fixed 2^23', () => {
    expect(statesCapFor(16_000 * 2 ** 20)).toBeGreaterThan(2 ** 23 * 10);
    expect(statesCapFor(2048 * 2 ** 20)).toBeGreaterThan(2 ** 23);
    expect(statesCapFor(1)).toBe(1 << 16);
    expect(statesCapFor(undefined)).toBe(Infinity);
  });

  it('the state index grows past one Map (chunks)', () => {
    const m = new ChunkedMap<string, number>(4);
    for (let i = 0; i < 30; i++) m.set(`k${i}`, i);
    for (let i = 0; i < 30; i++) expect(m.get(`k${i}`)).toBe(i);
    expect(m.get('missing')).toBeUndefined();
  });
});
