// The checker against a brute-force one written here from the specs alone: thousands of small
// random histories (register, cas-register, counter, kv; several keys; crashed ops; mutated
// reads), and the two must agree on every one.
import { describe, expect, it } from 'vitest';
import { checkSync } from '../../checker/check.ts';
import { getModel } from '../../checker/models/index.ts';
import { unpartitioned } from '../../checker/models/product.ts';
import { compileProblem } from '../../checker/search/problem.ts';
import { findStaleProof } from '../../checker/search/stale-proof.ts';
import type { Operation } from '../../checker/types.ts';
import { xorshift } from './helpers.ts';

type ModelName = 'register' | 'cas-register' | 'counter' | 'kv';
type Value = number | string;

const rng = xorshift;

/** One op applied to one key's value; undefined = impossible. Info ops never fail. */
function apply(model: ModelName, v: Value, op: Operation): Value | undefined {
  const info = op.status === 'info';
  switch (op.f) {
    case 'read':
      return op.output === v ? v : undefined;
    case 'write':
      return op.input as number;
    case 'cas': {
      const [a, b] = op.input as [number, number];
      if (op.compareFailed) return v !== a ? v : undefined;
      if (v === a) return b;
      return info ? v : undefined;
    }
    case 'get':
      return op.output === v ? v : undefined;
    case 'put':
      return op.input as string;
    case 'append':
      return (v as string) + (op.input as string);
    case 'inc': {
      const next = (v as number) + (op.input as number);
      return info || op.output === null || op.output === next ? next : undefined;
    }
  }
  throw new Error(`${model}: ${op.f}`);
}

/** Tries every order that respects real time; info ops may be left out (never happened). */
function bruteForce(model: ModelName, ops: Operation[]): boolean {
  const placed = new Array<boolean>(ops.length).fill(false);
  const state = new Map<string, Value>();
  const initial: Value = model === 'kv' ? '' : 0;
  const okLeft = () => ops.some((o, i) => !placed[i] && o.status === 'ok');
  const go = (): boolean => {
    if (!okLeft()) return true;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue;
      const o = ops[i];
      // o may go next only if no unplaced op returned before o was called.
      if (ops.some((q, j) => !placed[j] && j !== i && q.return < o.call)) continue;
      const k = o.key ?? '';
      const before = state.get(k) ?? initial;
      const after = apply(model, before, o);
      if (after === undefined) continue;
      placed[i] = true;
      state.set(k, after);
      const ok = go();
      placed[i] = false;
      state.set(k, before);
      if (ok) return true;
    }
    return false;
  };
  return go();
}

/** A real execution of a correct register/counter, then (sometimes) a read mutated. */
function generate(model: ModelName, seed: number): Operation[] {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const procs = 2 + int(3);
  const keys = 1 + int(2);
  const count = 3 + int(5);
  const clock = new Array<number>(procs).fill(0);
  const crashed = new Array<boolean>(procs).fill(false);
  const ops: Operation[] = [];
  for (let id = 0; id < count; id++) {
    const p = int(procs);
    if (crashed[p]) continue;
    const call = clock[p] + int(4);
    const info = r() < 0.15;
    const ret = info ? Infinity : call + 1 + int(8);
    clock[p] = info ? Infinity : ret + 1;
    crashed[p] = info;
    const roll = r();
    let f: string;
    let input: unknown = null;
    if (model === 'counter') {
      f = roll < 0.6 ? 'inc' : 'read';
      if (f === 'inc') input = 1 + int(2);
    } else if (model === 'kv') {
      f = roll < 0.45 ? 'append' : roll < 0.6 ? 'put' : 'get';
      if (f !== 'get') input = 'abc'[int(3)];
    } else if (model === 'register' || roll < 0.4) {
      f = roll < 0.5 ? 'write' : 'read';
      if (f === 'write') input = int(3);
    } else {
      f = roll < 0.7 ? 'cas' : roll < 0.85 ? 'write' : 'read';
      input = f === 'cas' ? [int(3), int(3)] : f === 'write' ? int(3) : null;
    }
    const op: Operation = {
      id: ops.length,
      number: ops.length + 1,
      process: p,
      f,
      input,
      output: undefined,
      status: info ? 'info' : 'ok',
      call,
      return: ret,
      invokeIndex: ops.length,
    };
    if (keys > 1) op.key = `k${int(keys)}`;
    ops.push(op);
  }
  // Linearization points: a random instant in each op's interval (crashed ops: maybe never).
  const points = ops.map((o) => (o.status === 'info' ? (r() < 0.5 ? o.call + int(20) : Infinity) : o.call + r() * (o.return - o.call)));
  const order = ops.map((_, i) => i).sort((a, b) => points[a] - points[b]);
  const state = new Map<string, Value>();
  for (const i of order) {
    const o = ops[i];
    if (points[i] === Infinity) continue;
    const k = o.key ?? '';
    const v = state.get(k) ?? (model === 'kv' ? '' : 0);
    if (o.f === 'read' || o.f === 'get') o.output = v;
    else if (o.f === 'put' || o.f === 'append') {
      o.output = o.input;
      state.set(k, o.f === 'put' ? (o.input as string) : (v as string) + (o.input as string));
    }
    else if (o.f === 'write') {
      o.output = o.input;
      state.set(k, o.input as number);
    } else if (o.f === 'inc') {
      const next = (v as number) + (o.input as number);
      state.set(k, next);
      o.output = r() < 0.3 ? null : next;
    } else if (o.f === 'cas') {
      const [a, b] = o.input as [number, number];
      if (v === a) {
        state.set(k, b);
        o.output = o.input;
      } else if (o.status === 'ok') o.compareFailed = true;
    }
    if (o.status === 'info') o.output = undefined;
  }
  // Crashed reads and never-applied ok ops are dropped or kept as a real client would see them.
  const kept = ops.filter((o) => !(o.status === 'info' && (o.f === 'read' || o.f === 'get')));
  if (r() < 0.5) {
    const reads = kept.filter((o) => o.status === 'ok' && (o.f === 'read' || o.f === 'get' || (o.f === 'inc' && o.output !== null)));
    if (reads.length > 0) {
      const o = reads[int(reads.length)];
      if (typeof o.output === 'string') o.output = r() < 0.5 ? o.output.slice(0, -1) : o.output + 'abc'[int(3)];
      else o.output = (o.output as number) + (r() < 0.5 ? 1 : -1);
    }
  }
  return kept.map((o, id) => ({ ...o, id, invokeIndex: id }));
}

describe('differential: checker vs brute force', () => {
  for (const model of ['register', 'cas-register', 'counter', 'kv'] as const) {
    it(`agrees on 1000 random ${model} histories, per key and as one state`, () => {
      let valid = 0;
      let invalid = 0;
      for (let seed = 1; seed <= 1000; seed++) {
        const h = generate(model, seed * 7919 + model.length);
        const expected = bruteForce(model, h);
        const got = checkSync(h, { model });
        if (got.valid !== expected) {
          throw new Error(`seed ${seed}: checker says ${got.valid}, brute force ${expected}\n${JSON.stringify(h)}`);
        }
        if (model === 'kv') {
          // States looked up by the model's hash (search/hashed-index.ts) and by a Map must agree,
          // and a hash that collides on every state must only cost time.
          for (const hash of [undefined, { of: () => 7, after: () => 7 }]) {
            const other = checkSync(h, { model: { ...getModel('kv'), hash } });
            if (other.valid !== expected) throw new Error(`seed ${seed}: kv with hash ${hash ? 'colliding' : 'none'} says ${other.valid}, brute force ${expected}`);
          }
        }
        // And as one state for every key (models/product.ts), which keys nothing apart.
        const whole = checkSync(h, { model, partition: false });
        if (whole.valid !== expected) {
          throw new Error(`seed ${seed}: checker (one state) says ${whole.valid}, brute force ${expected}\n${JSON.stringify(h)}`);
        }
        if (expected) valid++;
        else {
          invalid++;
          // The evidence's prefix must itself be a legal order for the keys involved.
          const a = got.anomaly!;
          const state = new Map<string, Value>();
          for (const id of a.prefix) {
            const o = h[id];
            const k = o.key ?? '';
            const next = apply(model, state.get(k) ?? (model === 'kv' ? '' : 0), o);
            expect(next, `seed ${seed} prefix op ${id}`).not.toBeUndefined();
            state.set(k, next!);
          }
        }
      }
      // The generator must exercise both verdicts.
      expect(valid).toBeGreaterThan(200);
      expect(invalid).toBeGreaterThan(80);
    });
  }
});

// The stale-read proof (search/stale-proof.ts) decides without a search, so it must never fire
// on a history brute force accepts. The checker only tries it on partitions of 64 ops or more,
// or after a first search turn, which these small histories never reach: it is called directly
// on the compiled partition.
describe('differential: stale-read proof vs brute force', () => {
  it('finds a proof only in kv histories brute force rejects, per key and as one state', () => {
    const kv = getModel('kv');
    let proofs = 0;
    let invalid = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const h = generate('kv', seed * 104729 + 3);
      const expected = bruteForce('kv', h);
      if (!expected) invalid++;
      const byKey = new Map<string, Operation[]>();
      for (const o of h) byKey.set(o.key ?? '', [...(byKey.get(o.key ?? '') ?? []), o]);
      for (const part of byKey.values()) {
        const p = compileProblem(kv, part, '');
        const proof = findStaleProof(p);
        if (proof === undefined) continue;
        proofs++;
        if (expected) throw new Error(`seed ${seed}: a proof on a linearizable history\n${JSON.stringify(h)}`);
        expect(p.ops[proof.observer]!.f).toBe('get');
        expect(p.ops[proof.writer]!.return).toBeLessThan(p.ops[proof.observer]!.call);
      }
      const whole = unpartitioned(kv, '');
      const wholeProof = findStaleProof(compileProblem(whole, h, whole.initial));
      if (wholeProof !== undefined && expected) throw new Error(`seed ${seed}: a proof (one state) on a linearizable history\n${JSON.stringify(h)}`);
    }
    // It must fire often enough to mean something.
    expect(invalid).toBeGreaterThan(300);
    expect(proofs).toBeGreaterThan(100);
  });
});
