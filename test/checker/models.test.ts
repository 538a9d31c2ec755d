import { describe, expect, it } from 'vitest';
import { getModel, inferModel, ModelInputError, models } from '../../checker/models/index.ts';
import type { AnyModel } from '../../checker/models/model.ts';
import { ops } from './helpers.ts';

function run(model: AnyModel, start: unknown, spec: Parameters<typeof ops>[0]) {
  let s = start;
  for (const op of ops(spec)) {
    const next = model.step(s, model.prepare(op));
    if (next === undefined) return undefined;
    s = next;
  }
  return s;
}

describe('models', () => {
  it('register: reads see the last write, by value (structured values too)', () => {
    const m = models.register;
    expect(run(m, m.initial, [{ f: 'write', in: 3, t: [0, 1] }, { f: 'read', out: 3, t: [2, 3] }])).toBe(3);
    expect(run(m, m.initial, [{ f: 'write', in: 3, t: [0, 1] }, { f: 'read', out: 4, t: [2, 3] }])).toBeUndefined();
    expect(run(m, m.initialFrom(null), [{ f: 'read', out: null, t: [0, 1] }])).toBeNull();
    expect(run(m, m.initial, [{ f: 'write', in: [1, 2], t: [0, 1] }, { f: 'read', out: [1, 2], t: [2, 3] }])).toBeDefined();
    expect(() => m.prepare(ops([{ f: 'cas', in: [0, 1], out: [0, 1], t: [0, 1] }])[0])).toThrow(ModelInputError);
  });

  it('cas-register: cas swaps only on a match; unknown outcome is accepted anywhere; compare-failed observes', () => {
    const m = models['cas-register'];
    expect(run(m, 0, [{ f: 'cas', in: [0, 5], out: [0, 5], t: [0, 1] }])).toBe(5);
    expect(run(m, 1, [{ f: 'cas', in: [0, 5], out: [0, 5], t: [0, 1] }])).toBeUndefined();
    expect(run(m, 1, [{ f: 'cas', in: [0, 5], t: [0] }])).toBe(1);
    expect(run(m, 0, [{ f: 'cas', in: [0, 5], t: [0] }])).toBe(5);
    expect(run(m, 1, [{ f: 'cas', in: [0, 5], out: [0, 5], t: [0, 1], compareFailed: true }])).toBe(1);
    expect(run(m, 0, [{ f: 'cas', in: [0, 5], out: [0, 5], t: [0, 1], compareFailed: true }])).toBeUndefined();
    expect(() => m.prepare(ops([{ f: 'cas', in: 7, t: [0, 1] }])[0])).toThrow(/pair/);
  });

  it('counter: inc result is the value after, or null; read', () => {
    const m = models.counter;
    expect(run(m, 0, [{ f: 'inc', in: 1, out: 1, t: [0, 1] }, { f: 'inc', in: 2, out: null, t: [2, 3] }, { f: 'read', out: 3, t: [4, 5] }])).toBe(3);
    expect(run(m, 0, [{ f: 'inc', in: 1, out: 2, t: [0, 1] }])).toBeUndefined();
    expect(run(m, 0, [{ f: 'inc', in: 1, t: [0] }])).toBe(1);
    expect(() => m.initialFrom('x')).toThrow(/must be an integer/);
    expect(() => m.prepare(ops([{ f: 'inc', in: 'a', t: [0, 1] }])[0])).toThrow(ModelInputError);
  });

  it('kv: get/put/append on strings, partitioned by key', () => {
    const m = models.kv;
    const h = [
      { f: 'append', key: 'a', in: 'x', t: [0, 1] as [number, number] },
      { f: 'append', key: 'a', in: 'y', t: [2, 3] as [number, number] },
      { f: 'get', key: 'a', out: 'xy', t: [4, 5] as [number, number] },
    ];
    expect(run(m, '', h)).toBe('xy');
    expect(run(m, '', [{ f: 'put', in: 'z', t: [0, 1] }, { f: 'get', out: 'x', t: [2, 3] }])).toBeUndefined();
    expect(m.partitionKey(ops(h)[0])).toBe('a');
  });

  it('reach: kv prefixes (puts rescue), counters never go down', () => {
    const kvOps = ops([
      { f: 'append', in: 'x', t: [0, 1] },
      { f: 'get', out: 'xy', t: [0, 1] },
      { f: 'put', in: 'q', t: [0, 1] },
      { f: 'get', out: 'qz', t: [0, 1] },
    ]).map((o) => models.kv.prepare(o));
    const r = models.kv.reach!(kvOps)!;
    expect(r.test('x', kvOps[1])).toBe(true);
    expect(r.test('z', kvOps[1])).toBe(false);
    // Rescuers by position (in the ops given to reach), one group per put value.
    expect(r.rescuerGroups!(kvOps[1])).toEqual([]);
    expect(r.rescuerGroups!(kvOps[3])).toEqual([[2]]);
    const c = ops([{ f: 'read', out: 2, t: [0, 1] }]).map((o) => models.counter.prepare(o));
    const rc = models.counter.reach!(c)!;
    expect(rc.test(3, c[0])).toBe(false);
    expect(rc.test(1, c[0])).toBe(true);
  });

  it('infers the smallest model and rejects unknown names', () => {
    expect(inferModel(ops([{ f: 'read', out: 0, t: [0, 1] }])).name).toBe('register');
    expect(inferModel(ops([{ f: 'cas', in: [0, 1], t: [0, 1] }])).name).toBe('cas-register');
    expect(inferModel(ops([{ f: 'inc', in: 1, t: [0, 1] }, { f: 'read', t: [0, 1] }])).name).toBe('counter');
    expect(inferModel(ops([{ f: 'append', in: 'x', t: [0, 1] }])).name).toBe('kv');
    expect(() => inferModel(ops([{ f: 'inc', t: [0, 1] }, { f: 'cas', t: [0, 1] }]))).toThrow(/no model/);
    expect(() => getModel('nope')).toThrow(/known: register/);
  });

  it('describes ops and states in words', () => {
    const [w, c] = ops([
      { f: 'write', key: 'x', in: 2, out: 2, t: [0, 1] },
      { f: 'cas', key: 'x', in: [1, 2], t: [0] },
    ]);
    expect(models['cas-register'].describeOp(w)).toBe('write x := 2');
    expect(models['cas-register'].describeOp(c)).toBe('cas x 1→2 (outcome unknown)');
    expect(models.kv.describeState('ab')).toBe('"ab"');
  });
});
