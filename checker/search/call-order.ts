// Before any search: try the one linearization that costs nothing to find. Taking the ok ops in
// the order they were called respects real time (if A returned before B was called, A was also
// called first), and leaving out every op of unknown outcome is allowed (it may never have taken
// effect). So if the model accepts that sequence step by step, the partition is linearizable.
// Histories with little concurrency (one client per key, a sequential test) are nearly always
// decided here in one pass, with no compiling, no caches and no arrays; when the sequence fails
// nothing is concluded and the real search runs.
import type { AnyModel } from '../models/model.ts';
import type { Operation } from '../types.ts';

/** True when the ok ops, in call order, are a legal sequence from `initial`; false proves nothing. */
export function linearizableInCallOrder(model: AnyModel, ops: readonly Operation[], initial: unknown, prepared?: readonly unknown[]): boolean {
  let state = initial;
  let lastCall = -Infinity;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.status === 'info') continue;
    if (op.call < lastCall) return false;
    lastCall = op.call;
    const next = model.step(state, prepared ? prepared[i] : model.prepare(op));
    if (next === undefined) return false;
    state = next;
  }
  return true;
}
