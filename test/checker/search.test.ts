import { describe, expect, it } from 'vitest';
import { LinearizedSet } from '../../checker/search/bitset.ts';
import { VisitedSet } from '../../checker/search/cache.ts';
import { buildEntryList, NIL, relink, unlink } from '../../checker/search/entry-list.ts';
import { compileProblem } from '../../checker/search/problem.ts';
import { search } from '../../checker/search/wgl.ts';
import { TransitionMemo } from '../../checker/search/transition-memo.ts';
import { checkSync } from '../../checker/check.ts';
import { getModel, models } from '../../checker/models/index.ts';
import type { AnyModel } from '../../checker/models/model.ts';
import { ops, type OpSpec } from './helpers.ts';

describe('linearized set and visited cache', () => {
  it('the same set reached in another order is the same configuration; other sets are not', () => {
    const set = new LinearizedSet(100, 110);
    const cache = new VisitedSet(set);
    for (const i of [0, 1, 2, 40, 105]) set.add(i);
    expect(cache.add(7)).toBe(true);
    expect(cache.add(7)).toBe(false);
    expect(cache.add(8)).toBe(true); // same set, other state
    for (const i of [0, 1, 2, 40, 105]) set.remove(i);
    expect(set.hash).toBe(0);
    for (const i of [105, 40, 2, 0, 1]) set.add(i);
    expect(set.low).toBe(3);
    expect(set.high).toBe(40);
    expect(cache.add(7)).toBe(false);
    set.remove(105);
    expect(cache.add(7)).toBe(true);
    set.add(41);
    expect(cache.add(7)).toBe(true);
  });

  it('keeps exact identities across thousands of entries (table and arena growth)', () => {
    const set = new LinearizedSet(5000, 5000);
    const cache = new VisitedSet(set);
    const added: boolean[] = [];
    const again: boolean[] = [];
    for (let i = 0; i < 5000; i++) {
      set.add(i);
      added.push(cache.add(i % 3));
    }
    for (let i = 4999; i >= 0; i--) {
      again.push(cache.add(i % 3));
      set.remove(i);
    }
    expect(added.every((b) => b)).toBe(true);
    expect(again.some((b) => b)).toBe(false);
    expect(cache.size).toBe(5000);
  });

  it('transition memo remembers and grows', () => {
    const m = new TransitionMemo(1 << 10);
    expect(m.get(3, 4)).toBe(-2);
    for (let i = 0; i < 3000; i++) m.set(i, i + 1, i * 2);
    expect(m.get(2999, 3000)).toBe(5998);
    m.set(5, 6, -1);
    expect(m.get(5, 6)).toBe(-1);
  });
});

describe('entry list', () => {
  it('orders calls before returns at equal times and undoes lifts in LIFO order', () => {
    const p = compileProblem(
      models.register,
      ops([
        { f: 'write', in: 1, t: [0, 5] },
        { f: 'read', out: 1, t: [5, 9] },
        { f: 'write', in: 2, t: [1] },
      ]),
      0,
    );
    const l = buildEntryList(p);
    const walk = (from: number) => {
      const out: number[] = [];
      for (let x = l.next[from]; x !== NIL; x = l.next[x]) out.push(x);
      return out;
    };
    expect(walk(l.head)).toEqual([0, 2, 1, 3]); // call0, call1 (t=5), ret0 (t=5), ret1
    expect(walk(l.classHead)).toEqual([4]);
    unlink(l, 0);
    unlink(l, 1);
    expect(walk(l.head)).toEqual([2, 3]);
    relink(l, 1);
    relink(l, 0);
    expect(walk(l.head)).toEqual([0, 2, 1, 3]);
  });
});

describe('search', () => {
  const reg = (spec: Parameters<typeof ops>[0]) => search(compileProblem(models['cas-register'], ops(spec), 0));

  it('finds a witness order', () => {
    const r = reg([
      { f: 'write', in: 1, out: 1, t: [0, 10] },
      { f: 'read', out: 1, t: [1, 2] },
      { f: 'read', out: 0, t: [0, 1] },
    ]);
    expect(r.valid).toBe(true);
    if (r.valid === true) expect(Array.from(r.order)).toEqual([2, 0, 1]);
  });

  it('a crashed write may take effect late, or never', () => {
    expect(reg([{ f: 'write', in: 1, t: [0] }, { f: 'read', out: 0, t: [5, 6] }, { f: 'read', out: 1, t: [7, 8] }]).valid).toBe(true);
    expect(reg([{ f: 'write', in: 1, t: [0] }, { f: 'read', out: 1, t: [5, 6] }, { f: 'read', out: 0, t: [7, 8] }]).valid).toBe(false);
  });

  it('reports the longest prefix and the op everything blocks on', () => {
    const r = reg([
      { f: 'write', in: 1, out: 1, t: [0, 1] },
      { f: 'write', in: 2, out: 2, t: [2, 3] },
      { f: 'read', out: 1, t: [4, 5] },
    ]);
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.prefix).toEqual([0, 1]);
      expect(r.blocking).toBe(2);
    }
  });

  it('gives up with unknown at the deadline or the memory cap', () => {
    // 40 concurrent increments, then an impossible read: 2^40 subsets to rule out.
    const spec: OpSpec[] = Array.from({ length: 40 }, (_, i) => ({ f: 'inc', in: 1, out: null, t: [0, 100 + i] }));
    spec.push({ f: 'read', in: null, out: 1000, t: [200, 201] });
    const p = () => compileProblem(models.counter, ops(spec), 0);
    expect(search(p(), { deadline: performance.now() + 100 })).toEqual({ valid: 'unknown', reason: 'timeout' });
    expect(search(p(), { maxBytes: 1 << 20 })).toEqual({ valid: 'unknown', reason: 'memory', limit: 'the search cache reached 1 MB (--memory)' });
    // A small cap is said as given, not rounded to 0.
    expect(search(p(), { maxBytes: 0.01 * 2 ** 20 })).toMatchObject({ reason: 'memory', limit: 'the search cache reached 0.01 MB (--memory)' });
    expect(search(p(), { maxTicks: 5000 })).toEqual({ valid: 'unknown', reason: 'budget' });
  });
});

describe('rescuers listed as ops (Reach.rescuers, a model of your own)', () => {
  const kv = getModel('kv');
  // kv with its rescuers given the plain way, as ops: checked as one state, the search must
  // still see put "z" as able to rescue get "z" after the value became "xy".
  const plain: AnyModel = {
    ...kv,
    reach(prepared: readonly unknown[]) {
      const r = kv.reach!(prepared)!;
      return { test: r.test, rescuers: (p: unknown) => r.rescuerGroups!(p).flat().map((i) => prepared[i]) };
    },
  };
  const h = ops([
    { p: 0, f: 'put', key: 'a', in: 'x', out: 'x', t: [0, 1] },
    { p: 0, f: 'append', key: 'a', in: 'y', out: 'y', t: [2, 3] },
    { p: 1, f: 'put', key: 'a', in: 'z', out: 'z', t: [4, 10] },
    { p: 2, f: 'get', key: 'a', out: 'z', t: [5, 11] },
    { p: 3, f: 'put', key: 'b', in: 'q', out: 'q', t: [0, 1] },
  ]);

  it('are honoured per key and as one state', () => {
    expect(checkSync(h, { model: plain }).valid).toBe(true);
    expect(checkSync(h, { model: plain, partition: false }).valid).toBe(true);
    // And the history is caught when it is wrong: get "z" before put "z" was invoked.
    const bad = h.map((o) => (o.f === 'get' ? { ...o, call: 3.5, return: 3.8 } : o));
    expect(checkSync(bad, { model: plain, partition: false }).valid).toBe(false);
  });
});
