// Knossos' other models (mutex, set, fifo-queue, unordered-queue, multi-register) against a
// brute-force checker written here from Knossos' definitions alone: small random histories
// from real executions, some with an output changed, and the two must agree on every one.
import { describe, expect, it } from 'vitest';
import { checkSync } from '../../checker/check.ts';
import type { Operation } from '../../checker/types.ts';
import { xorshift } from './helpers.ts';

type Name = 'mutex' | 'set' | 'fifo-queue' | 'unordered-queue' | 'multi-register';
type State = unknown;

const rng = xorshift;

const initialOf = (m: Name): State => (m === 'mutex' ? false : m === 'multi-register' ? {} : []);

/** Every state the op may leave, applied in `s` (none: it cannot happen there). */
function next(m: Name, s: State, op: Operation): State[] {
  const ok = op.status === 'ok';
  const out = ok ? op.output : undefined;
  switch (m) {
    case 'mutex':
      if (op.f === 'acquire') return s ? [] : [true];
      return s ? [false] : [];
    case 'set': {
      const set = s as number[];
      if (op.f === 'add') return [[...new Set([...set, op.input as number])].sort()];
      const seen = [...new Set(out as number[])].sort();
      return JSON.stringify(seen) === JSON.stringify(set) ? [s] : [];
    }
    case 'fifo-queue': {
      const q = s as number[];
      if (op.f === 'enqueue') return [[...q, op.input as number]];
      if (!ok) return q.length === 0 ? [q] : [q.slice(1)];
      if (q.length === 0) return out === null ? [q] : [];
      return q[0] === out ? [q.slice(1)] : [];
    }
    case 'unordered-queue': {
      const q = s as number[];
      if (op.f === 'enqueue') return [[...q, op.input as number]];
      // Any value it holds, when the outcome is unknown; the one returned, when known.
      const choices = ok ? [out as number] : [...new Set(q)];
      return choices.filter((v) => v !== null && q.includes(v)).map((v) => { const i = q.indexOf(v); return [...q.slice(0, i), ...q.slice(i + 1)]; });
    }
    case 'multi-register': {
      const regs = { ...(s as Record<string, number>) };
      for (const [f, k, v] of (ok ? out : op.input) as [string, string, number | null][]) {
        if (f === 'write') regs[k] = v as number;
        else if (ok && v !== null && (regs[k] ?? null) !== v) return [];
      }
      return [regs];
    }
  }
}

/** Every order respecting real time; ops of unknown outcome may be left out. */
function bruteForce(m: Name, ops: Operation[]): boolean {
  const placed = new Array<boolean>(ops.length).fill(false);
  const go = (s: State): boolean => {
    if (!ops.some((o, i) => !placed[i] && o.status === 'ok')) return true;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue;
      const o = ops[i]!;
      if (ops.some((q, j) => !placed[j] && j !== i && q.return < o.call)) continue;
      for (const after of next(m, s, o)) {
        placed[i] = true;
        const ok = go(after);
        placed[i] = false;
        if (ok) return true;
      }
    }
    return false;
  };
  return go(initialOf(m));
}

function randomOp(m: Name, r: () => number): { f: string; input: unknown } {
  const v = Math.floor(r() * 3);
  switch (m) {
    case 'mutex': return { f: r() < 0.5 ? 'acquire' : 'release', input: null };
    case 'set': return r() < 0.6 ? { f: 'add', input: v } : { f: 'read', input: null };
    case 'fifo-queue':
    case 'unordered-queue': return r() < 0.55 ? { f: 'enqueue', input: v } : { f: 'dequeue', input: null };
    case 'multi-register': {
      const micro = Array.from({ length: 1 + Math.floor(r() * 2) }, () => [r() < 0.5 ? 'read' : 'write', r() < 0.5 ? 'x' : 'y', r() < 0.5 ? null : v]);
      return { f: 'txn', input: micro.map(([f, k, x]) => [f, k, f === 'read' ? null : (x ?? 0)]) };
    }
  }
}

/** A real execution (ops applied at random points inside their intervals), then maybe one output changed. */
function generate(m: Name, seed: number): Operation[] {
  const r = rng(seed);
  const procs = 2 + Math.floor(r() * 3);
  const count = 3 + Math.floor(r() * 5);
  const clock = new Array<number>(procs).fill(0);
  const planned: { p: number; f: string; input: unknown; call: number; ret: number; at: number; info: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const p = Math.floor(r() * procs);
    if (!Number.isFinite(clock[p]!)) continue;
    const call = clock[p]! + Math.floor(r() * 4);
    const info = r() < 0.15;
    const ret = call + 1 + Math.floor(r() * 8);
    clock[p] = info ? Infinity : ret + 1;
    planned.push({ p, ...randomOp(m, r), call, ret, at: call + r() * (ret - call), info });
  }
  let s = initialOf(m);
  const outputs = new Map<number, unknown>();
  [...planned.keys()].sort((a, b) => planned[a]!.at - planned[b]!.at).forEach((i) => {
    const o = planned[i]!;
    const op = { f: o.f, input: o.input, status: 'info' } as Operation;
    // The output a correct system gives at this point; an op that cannot happen here is made to fail.
    let out: unknown = null;
    if (m === 'set' && o.f === 'read') out = [...(s as number[])];
    if (m === 'fifo-queue' && o.f === 'dequeue') out = (s as number[])[0] ?? null;
    if (m === 'unordered-queue' && o.f === 'dequeue') out = (s as number[])[0] ?? null;
    if (m === 'multi-register') out = (o.input as [string, string, number | null][]).map(([f, k, v]) => [f, k, f === 'read' ? ((s as Record<string, number>)[k] ?? null) : v]);
    const states = next(m, s, { ...op, status: 'ok', output: out } as Operation);
    if (states.length === 0) { outputs.set(i, 'fail'); return; }
    if (!(o.info && r() < 0.5)) s = states[0];
    outputs.set(i, out);
  });
  const ops: Operation[] = [];
  planned.forEach((o, i) => {
    if (outputs.get(i) === 'fail' && !o.info) return;
    ops.push({
      id: ops.length, number: ops.length + 1, process: o.p, f: o.f, input: o.input, output: o.info ? undefined : outputs.get(i),
      status: o.info ? 'info' : 'ok', call: o.call, return: o.info ? Infinity : o.ret, invokeIndex: ops.length,
    });
  });
  // Sometimes change one output (for a lock: what it did), as a buggy system would.
  const locks = ops.filter((o) => o.status === 'ok' && (o.f === 'acquire' || o.f === 'release'));
  if (locks.length && r() < 0.5) {
    const o = locks[Math.floor(r() * locks.length)]!;
    o.f = o.f === 'acquire' ? 'release' : 'acquire';
  }
  const okOps = ops.filter((o) => o.status === 'ok' && (o.f === 'read' || o.f === 'dequeue' || o.f === 'txn'));
  if (okOps.length && r() < 0.4) {
    const o = okOps[Math.floor(r() * okOps.length)]!;
    const v = Math.floor(r() * 3);
    if (o.f === 'read') o.output = [...(o.output as number[]), v];
    else if (o.f === 'dequeue') o.output = v;
    else o.output = (o.output as [string, string, unknown][]).map(([f, k, x]) => [f, k, f === 'read' ? v : x]);
  }
  return ops.filter((o) => !(o.f === 'read' && o.status === 'info'));
}

describe('differential: Knossos models vs brute force', () => {
  for (const m of ['mutex', 'set', 'fifo-queue', 'unordered-queue', 'multi-register'] as const) {
    it(`${m}: 800 random histories, same verdicts`, () => {
      const tally = { valid: 0, invalid: 0 };
      for (let seed = 1; seed <= 800; seed++) {
        const ops = generate(m, seed * 7919 + m.length);
        const expected = bruteForce(m, ops);
        const got = checkSync(ops, { model: m }).valid;
        if (got !== expected) throw new Error(`${m} seed ${seed}: checker ${got}, brute force ${expected}\n${JSON.stringify(ops)}`);
        tally[expected ? 'valid' : 'invalid']++;
      }
      expect(tally.valid).toBeGreaterThan(50);
      expect(tally.invalid).toBeGreaterThan(50);
    });
  }
});
