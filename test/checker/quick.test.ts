// Jepsen's linear-time checkers on histories written here: each finds what it claims to, and
// passes what is correct.
import { describe, expect, it } from 'vitest';
import { checkCounterBounds, checkSetFull, checkUniqueIds } from '../../checker/index.ts';
import { ops } from './helpers.ts';

describe('counter-bounds', () => {
  it('a read below what surely happened, or above what could have, is out of bounds', () => {
    const h = (read: number) => ops([
      { p: 0, f: 'inc', key: 'x', in: 1, out: 1, t: [0, 1] },
      { p: 1, f: 'inc', key: 'x', in: 1, t: [2] }, // unknown outcome: may count
      { p: 2, f: 'read', key: 'x', out: read, t: [3, 4] },
    ]);
    expect(checkCounterBounds(h(1)).valid).toBe(true);
    expect(checkCounterBounds(h(2)).valid).toBe(true);
    const low = checkCounterBounds(h(0));
    expect(low.valid).toBe(false);
    expect(low.findings[0]!.message).toMatch(/read x → 0 \(op #3\) is outside \[1, 2\]: 1 had surely been added/);
    expect(checkCounterBounds(h(3)).findings[0]!.message).toMatch(/at most 2 could have been added/);
  });
});

describe('set-full', () => {
  const add = (p: number, v: number, t: [number, number?]) => ({ p, f: 'add', key: 's', in: v, out: v, t });
  const read = (p: number, seen: number[], t: [number, number]) => ({ p, f: 'read', key: 's', out: seen, t });

  it('stable, lost, stale and never-read elements', () => {
    const h = ops([
      add(0, 1, [0, 1]), add(0, 2, [2, 3]), add(0, 3, [4, 5]), add(0, 4, [20, 21]),
      read(1, [1, 3], [6, 7]), // 2 missing
      read(1, [1, 2, 3], [8, 9]), // 2 back: stale; 3 present
      read(1, [1, 2], [10, 11]), // 3 gone for good: lost
    ]);
    const r = checkSetFull(h);
    expect(r.summary).toBe('1 stable, 1 lost, 1 stale, 1 never read');
    expect(r.valid).toBe(false);
    expect(r.findings.map((f) => f.message.split(':')[0])).toEqual(['stale', 'lost']);
    expect(r.findings[1]!.message).toContain('add s 3 (op #3)');
    // Without linearizability, stale alone is allowed; lost never is.
    expect(checkSetFull(h, { linearizable: false }).findings.map((f) => f.op)).toEqual([3]);
  });

  it('a correct history passes', () => {
    const h = ops([add(0, 1, [0, 1]), read(1, [], [0, 2]), read(1, [1], [3, 4]), add(0, 2, [5, 6]), read(1, [1, 2], [7, 8])]);
    expect(checkSetFull(h)).toMatchObject({ valid: true, summary: '2 stable, 0 lost, 0 stale, 0 never read' });
  });
});

describe('unique-ids', () => {
  it('finds a duplicate id', () => {
    const h = ops([{ p: 0, f: 'generate', out: 7, t: [0, 1] }, { p: 1, f: 'generate', out: 8, t: [0, 1] }, { p: 2, f: 'generate', out: 7, t: [2, 3] }]);
    const r = checkUniqueIds(h);
    expect(r.valid).toBe(false);
    expect(r.findings[0]!.message).toBe('duplicate id 7: op #3 got what op #1 got');
    expect(checkUniqueIds(h.slice(0, 2)).valid).toBe(true);
  });
});
