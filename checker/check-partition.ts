// One partition (usually one key) from ops to verdict; runs in the main thread or a worker.
import { buildAnomaly } from './evidence/anomaly.ts';
import type { AnyModel } from './models/model.ts';
import { compileProblem, statesCapFor, TooManyStates } from './search/problem.ts';
import { search } from './search/wgl.ts';
import type { Operation, PartitionResult, UnknownReason } from './types.ts';

export interface PartitionLimits {
  /** Date.now() after which to give up (wall clock, so it means the same in every thread). */
  deadlineEpochMs?: number;
  maxBytes?: number;
  /** Record partial linearizations per op when the partition has at most this many ops. */
  partialsUpTo?: number;
  cancelled?: () => boolean;
  /** Search steps before giving up; the result is then `undefined` (try again with more). */
  maxTicks?: number;
}

/**
 * Ops that cannot matter, whatever the model: an op of unknown outcome that never changes
 * the state (a crashed read) may be placed last, where it is always legal, so dropping it
 * keeps the verdict.
 */
export function pruneOps(model: AnyModel, ops: Operation[]): Operation[] {
  const kept = ops.filter((op) => op.status !== 'info' || !model.readOnly(model.prepare(op)));
  return model.prune ? model.prune(kept) : kept;
}

export function checkPartition(
  model: AnyModel,
  key: string | null,
  ops: Operation[],
  initial: unknown,
  limits: PartitionLimits = {},
): PartitionResult | undefined {
  const t0 = performance.now();
  // The states' own memory counts against the same cap as the search cache.
  const maxStates = statesCapFor(limits.maxBytes);
  let problem;
  try {
    problem = compileProblem(model, pruneOps(model, ops), initial, maxStates);
  } catch (err) {
    if (!(err instanceof TooManyStates)) throw err;
    return { key, valid: 'unknown', ops: ops.length, ms: performance.now() - t0, reason: 'memory', limit: `the model reached ${err.limit} distinct states (the cap that follows --memory)` };
  }
  const deadline =
    limits.deadlineEpochMs === undefined ? undefined : performance.now() + (limits.deadlineEpochMs - Date.now());
  const outcome = search(problem, {
    ...(deadline !== undefined ? { deadline } : {}),
    ...(limits.maxBytes !== undefined ? { maxBytes: limits.maxBytes } : {}),
    ...(limits.cancelled ? { cancelled: limits.cancelled } : {}),
    ...(limits.maxTicks !== undefined ? { maxTicks: limits.maxTicks } : {}),
    trackPartials: ops.length <= (limits.partialsUpTo ?? 2000),
  });
  const ms = performance.now() - t0;
  if (outcome.valid === true) return { key, valid: true, ops: ops.length, ms };
  if (outcome.valid === 'unknown' && outcome.reason === 'budget') return undefined;
  if (outcome.valid === 'unknown') return { key, valid: 'unknown', ops: ops.length, ms, reason: outcome.reason as UnknownReason, ...(outcome.limit ? { limit: outcome.limit } : {}) };
  return { key, valid: false, ops: ops.length, ms, anomaly: buildAnomaly(model, problem, outcome, key) };
}
