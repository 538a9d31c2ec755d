import { describe, expect, it } from 'vitest';
import { Random } from '../../src/systems/paxos/sim/random.ts';
import { parseSeeds } from '../../src/systems/paxos/sim/seeds.ts';

describe('simulator PRNG and seed lists', () => {
  it('one seed gives one sequence; another seed another', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
  it('parses N, A..B and lists, and rejects junk', () => {
    expect(parseSeeds('3')).toEqual([3]);
    expect(parseSeeds('1..3,9')).toEqual([1, 2, 3, 9]);
    expect(() => parseSeeds('5..1')).toThrow(/backwards/);
    expect(() => parseSeeds('abc')).toThrow(/bad seed/);
  });
});
