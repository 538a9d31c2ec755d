// A counter per key: `inc` adds its delta and may report the value right after (or null: not
// said); `read` returns the current value.
import { spellOperation } from '../evidence/spell.ts';
import type { Operation } from '../types.ts';
import { ModelInputError, type Model } from './model.ts';

export interface CounterOp {
  read: boolean;
  delta: number;
  /** The value the op saw (read) or produced (inc); null when not said or unknown. */
  seen: number | null;
  unknown: boolean;
}

function num(v: unknown, what: string, op: Operation): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new ModelInputError(`counter ${what} must be a number or null, got ${JSON.stringify(v)}`, op);
}

export const counter: Model<number, CounterOp> = {
  name: 'counter',
  summary: 'counter per key: inc DELTA (ok value = value after, or null), read; starts at 0',
  fs: ['inc', 'read'],
  initial: 0,
  initialFrom(v) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`a counter's initial value must be a number, got ${JSON.stringify(v)}`);
    return v;
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
    const next = s + p.delta;
    return p.seen === null || p.seen === next ? next : undefined;
  },
  // With no negative delta the counter never goes down: a read of v (or an inc that returns v)
  // is possible later only if v is at least the current value (plus the inc's own delta).
  reach(ops) {
    if (ops.some((p) => p.delta < 0)) return undefined;
    return { test: (s, p) => p.seen === null || p.seen >= s + p.delta };
  },
  readOnly: (p) => p.read || (p.delta === 0 && !p.unknown),
  stateKey: (s) => s,
  observes: (p) => (p.read && !p.unknown && p.seen !== null ? p.seen : undefined),
  opKey: (p) => JSON.stringify(p),
  describeOp: spellOperation,
  describeState: (s) => String(s),
};
