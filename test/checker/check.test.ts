import { describe, expect, it } from 'vitest';
import { check, checkSync, models, parseHistory, toOperations } from '../../checker/index.ts';
import type { Operation } from '../../checker/types.ts';
import { ops, type OpSpec } from './helpers.ts';

// The history format spec's example: X = X + 1 twice across a leader crash.
const seed = `{"process":0,"type":"invoke","f":"inc","key":"x","value":1,"time":1000}
{"process":0,"type":"ok","f":"inc","key":"x","value":1,"time":2000,"node":"n1"}
{"process":"nemesis","type":"info","f":"kill","value":["n1"],"time":2500}
{"process":1,"type":"invoke","f":"inc","key":"x","value":1,"time":3000}
{"process":1,"type":"ok","f":"inc","key":"x","value":2,"time":9000,"node":"n2"}
{"process":0,"type":"invoke","f":"read","key":"x","value":null,"time":9500}
{"process":0,"type":"ok","f":"read","key":"x","value":READ,"time":9900,"node":"n3"}`;

/** Keys k0..k{n-1}, each a register written then read; key `bad` (if given) reads a lost write. */
function keyed(n: number, bad?: number): Operation[] {
  const spec: OpSpec[] = [];
  for (let k = 0; k < n; k++) {
    spec.push({ f: 'write', key: `k${k}`, in: 1, out: 1, t: [k * 10, k * 10 + 5] });
    spec.push({ f: 'read', key: `k${k}`, out: k === bad ? 0 : 1, t: [k * 10 + 6, k * 10 + 8] });
  }
  return ops(spec);
}

describe('check', () => {
  it('the spec example: read 2 is valid, read 1 is a lost write (through the public API)', async () => {
    const good = await check(toOperations(parseHistory(seed.replace('READ', '2'), { format: 'jsonl' })));
    expect(good).toMatchObject({ valid: true, model: 'counter', ops: 3, partitions: 1 });
    const bad = await check(toOperations(parseHistory(seed.replace('READ', '1'), { format: 'jsonl' })));
    expect(bad.valid).toBe(false);
    expect(bad.anomaly?.op.f).toBe('read');
    expect(bad.anomaly?.key).toBe('x');
  });

  it('checks keys as separate partitions; stops at the first invalid one unless asked not to', () => {
    expect(checkSync(keyed(5), { model: 'register' })).toMatchObject({ valid: true, partitions: 5 });
    const first = checkSync(keyed(5, 1), { model: 'register' });
    expect(first.valid).toBe(false);
    expect(first.anomaly?.key).toBe('k1');
    expect(first.parts.length).toBeLessThan(5);
    const all = checkSync(keyed(5, 1), { model: 'register', stopOnFirstInvalid: false });
    expect(all.parts.map((p) => p.valid)).toEqual([true, false, true, true, true]);
  });

  it('checks unpartitioned with the same verdicts', () => {
    expect(checkSync(keyed(4), { model: 'register', partition: false })).toMatchObject({ valid: true, partitions: 1 });
    expect(checkSync(keyed(4, 2), { model: 'register', partition: false }).valid).toBe(false);
  });

  it('honours the initial value (Jepsen registers start at null)', () => {
    const h = ops([{ f: 'read', out: null, t: [0, 1] }]);
    expect(checkSync(h, { model: 'register' }).valid).toBe(false);
    expect(checkSync(h, { model: 'register', initial: null }).valid).toBe(true);
  });

  it('accepts a model object', () => {
    expect(checkSync(keyed(2), { model: models.register }).valid).toBe(true);
  });

  it('a time limit gives unknown, never a verdict it did not reach', () => {
    const spec: OpSpec[] = Array.from({ length: 40 }, (_, i) => ({ f: 'inc', in: 1, out: null, t: [0, 100 + i] }));
    spec.push({ f: 'read', out: 1000, t: [200, 201] });
    const r = checkSync(ops(spec), { model: 'counter', timeoutMs: 100 });
    expect(r).toMatchObject({ valid: 'unknown', reason: 'timeout' });
    const m = checkSync(ops(spec), { model: 'counter', memoryMb: 1 });
    expect(m).toMatchObject({ valid: 'unknown', reason: 'memory' });
  });

  it('rejects ops the model does not know, before checking', () => {
    expect(() => checkSync(ops([{ f: 'cas', in: 3, t: [0, 1] }]), { model: 'cas-register' })).toThrow(/pair/);
  });
});

describe('a model that prunes', () => {
  // Sequential: write 1, write 2, write 3, read 1. Without the writes of 2 and 3 it is valid.
  const h = ops([
    { f: 'write', in: 1, out: 1, t: [0, 1] },
    { f: 'write', in: 2, out: 2, t: [2, 3] },
    { f: 'write', in: 3, out: 3, t: [4, 5] },
    { f: 'read', out: 1, t: [6, 7] },
  ]);
  it('checks what prune kept, each op with its own prepared form', () => {
    expect(checkSync(h, { model: models.register }).valid).toBe(false);
    // Keeping write 3 and the read (dropping write 1) must still see the read of 1 as impossible.
    const dropFirst = { ...models.register, prune: (o: Operation[]) => o.filter((x) => x.input !== 1 && x.input !== 2) };
    expect(checkSync(h, { model: dropFirst }).valid).toBe(false);
    const dropLater = { ...models.register, prune: (o: Operation[]) => o.filter((x) => x.input !== 2 && x.input !== 3) };
    expect(checkSync(h, { model: dropLater }).valid).toBe(true);
  });
  it('names a prune that reorders the ops', () => {
    const reorders = { ...models.register, prune: (o: Operation[]) => o.slice(1).reverse() };
    expect(() => checkSync(h, { model: reorders })).toThrow(/prune\(\) must return a subsequence/);
  });
});

describe('check in worker threads', () => {
  it('gives the same verdicts as in one thread', async () => {
    const h = keyed(6, 3);
    const inWorkers = await check(h, { model: 'register', workers: 2, parallelFrom: 0, stopOnFirstInvalid: false });
    const inThread = checkSync(h, { model: 'register', stopOnFirstInvalid: false });
    expect(inWorkers.valid).toBe(false);
    expect(inWorkers.anomaly?.key).toBe('k3');
    expect(inWorkers.parts.map((p) => [p.key, p.valid])).toEqual(inThread.parts.map((p) => [p.key, p.valid]));
  }, 30_000);
});
