import { describe, expect, it } from 'vitest';
import { HashedIndex } from '../../checker/search/hashed-index.ts';
import { Slab } from '../../checker/search/slab.ts';

describe('HashedIndex', () => {
  it('gives each key one id, through collisions and growth', () => {
    const index = new HashedIndex(4, Slab.forOps(1));
    // Far more keys than the table was sized for, and every hash shared by ten keys.
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    const hashOf = (i: number) => Math.floor(i / 10) * 0x10000;
    keys.forEach((k, i) => expect(index.intern(k, hashOf(i), i)).toBe(i));
    keys.forEach((k, i) => {
      expect(index.intern(k, hashOf(i), keys.length)).toBe(i);
      expect(index.hashOf(i)).toBe(hashOf(i));
    });
    // A key never added is new even when its hash matches one held.
    expect(index.intern('other', hashOf(0), keys.length)).toBe(keys.length);
    expect(index.intern('other', hashOf(0), keys.length + 1)).toBe(keys.length);
  });

  it('tells apart keys of other types that share a hash', () => {
    const index = new HashedIndex(16);
    expect(index.intern(1, 0, 0)).toBe(0);
    expect(index.intern('1', 0, 1)).toBe(1);
    expect(index.intern(null, 0, 2)).toBe(2);
    expect(index.intern(false, 0, 3)).toBe(3);
    expect(index.intern(1, 0, 4)).toBe(0);
  });
});
