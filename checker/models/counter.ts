// A counter per key: `inc` adds its delta and may report the value right after (or null: not
// said); `read` returns the current value. Arithmetic is exact: values stay numbers while they are
// safe integers and become BigInts beyond 2^53, never a rounded float. Counters count: a
// fractional delta or value is an input error.
import { spellOperation } from '../evidence/spell.ts';
import type { Operation } from '../types.ts';
import { ModelInputError, type Model } from './model.ts';
import { stringifyExact } from '../formats/exact-json.ts';

/** An exact integer: a number while safe, a BigInt beyond (normalized so `===` compares values). */
export type Count = number | bigint;

export interface CounterOp {
  read: boolean;
  delta: Count;
  /** The value the op saw (read) or produced (inc); null when not said or unknown. */
  seen: Count | null;
  unknown: boolean;
}

function normalize(v: bigint): Count {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

export function addCounts(a: Count, b: Count): Count {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return normalize(BigInt(a) + BigInt(b));
}

function toCount(v: unknown): Count | undefined {
  if (typeof v === 'bigint') return normalize(v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  return undefined;
}

function num(v: unknown, what: string, op: Operation): Count | null {
  if (v === null || v === undefined) return null;
  const c = toCount(v);
  if (c !== undefined) return c;
  const why = typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? 'an integer (counters count whole units)' : 'an integer or null';
  throw new ModelInputError(`counter ${what} must be ${why}, got ${stringifyExact(v)}`, op);
}

export const counter: Model<Count, CounterOp> = {
  name: 'counter',
  summary: 'counter per key: inc DELTA (ok value = value after, or null), read; starts at 0',
  fs: ['inc', 'read'],
  initial: 0,
  initialFrom(v) {
    const c = toCount(v);
    if (c === undefined) throw new Error(`a counter's initial value must be an integer, got ${stringifyExact(v)}`);
    return c;
  },
  partitionKey: (op) => op.key ?? null,
  prepare(op) {
    const unknown = op.status === 'info';
    if (op.f === 'read') {
      const seen = unknown ? null : num(op.output, 'read value', op);
      return { read: true, delta: 0, seen, unknown: unknown || seen === null };
    }
    if (op.f === 'inc') {
      const delta = num(op.input, 'inc delta', op) ?? 1;
      return { read: false, delta, seen: unknown ? null : num(op.output, 'inc result', op), unknown };
    }
    throw new ModelInputError(`the counter model has no "${op.f}" (it knows inc, read)`, op);
  },
  step(s, p) {
    if (p.read) return p.unknown || s === p.seen ? s : undefined;
    const next = addCounts(s, p.delta);
    return p.seen === null || p.seen === next ? next : undefined;
  },
  // With no negative delta the counter never goes down: a read of v (or an inc that returns v)
  // is possible later only if v is at least the current value (plus the inc's own delta).
  reach(ops) {
    if (ops.some((p) => p.delta < 0)) return undefined;
    return { test: (s, p) => p.seen === null || p.seen >= addCounts(s, p.delta) };
  },
  readOnly: (p) => p.read || (p.delta === 0 && !p.unknown),
  stateKey: (s) => (typeof s === 'bigint' ? `n${s}` : s),
  observes: (p) => (p.read && !p.unknown && p.seen !== null ? p.seen : undefined),
  opKey: (p) => stringifyExact(p),
  describeOp: spellOperation,
  describeState: (s) => String(s),
};
