// One partition (usually one key) from ops to verdict; runs in the main thread or a worker.
import { buildAnomaly } from './evidence/anomaly.ts';
import type { AnyModel } from './models/model.ts';
import { compilePrepared, statesCapFor, TooManyStates, type Problem } from './search/problem.ts';
import { startSearch, type SearchOutcome } from './search/wgl.ts';
import { linearizableInCallOrder } from './search/call-order.ts';
import { Slab } from './search/slab.ts';
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
 * The partition compiled for the search, each op prepared once. Ops that cannot matter are
 * dropped first, whatever the model: an op of unknown outcome that never changes the state (a
 * crashed read) may be placed last, where it is always legal, so dropping it keeps the verdict;
 * then the model's own rules (Model.prune).
 */
export function compilePartition(model: AnyModel, ops: Operation[], initial: unknown, maxStates: number, slab?: Slab, preparedOps?: readonly unknown[]): Problem {
  const keptPrepared: unknown[] = [];
  const kept: Operation[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const p = preparedOps ? preparedOps[i] : model.prepare(op);
    if (op.status === 'info' && model.readOnly(p)) continue;
    keptPrepared.push(p);
    kept.push(op);
  }
  if (!model.prune) return compilePrepared(model, kept, keptPrepared, initial, maxStates, slab);
  const prepared = new Map<Operation, unknown>(kept.map((op, i) => [op, keptPrepared[i]]));
  const final = model.prune(kept);
  return compilePrepared(model, final, final.map((op) => prepared.get(op)), initial, maxStates, slab);
}

/** One partition's check, which may pause after a number of search steps and go on later. */
type Failure = Extract<SearchOutcome, { valid: false }>;

export interface PartitionCheck {
  /** `undefined`: the step budget ran out; call again to go on where it stopped. */
  resume(maxTicks?: number): PartitionResult | undefined;
}

export function checkPartition(
  model: AnyModel,
  key: string | null,
  ops: Operation[],
  initial: unknown,
  limits: PartitionLimits = {},
): PartitionResult | undefined {
  return startPartition(model, key, ops, initial, limits).resume(limits.maxTicks);
}

export function startPartition(
  model: AnyModel,
  key: string | null,
  ops: Operation[],
  initial: unknown,
  limits: Omit<PartitionLimits, 'maxTicks'> = {},
  /** Arrays for the search, shared by partitions checked together (see Slab). */
  slab?: Slab,
  /** `model.prepare(ops[i])` for every i, when the caller has them. */
  prepared?: readonly unknown[],
): PartitionCheck {
  const t0 = performance.now();
  if (linearizableInCallOrder(model, ops, initial, prepared)) {
    const r: PartitionResult = { key, valid: true, ops: ops.length, ms: performance.now() - t0 };
    return done(r);
  }
  // The states' own memory counts against the same cap as the search cache.
  const maxStates = statesCapFor(limits.maxBytes);
  let problem;
  try {
    problem = compilePartition(model, ops, initial, maxStates, slab, prepared);
  } catch (err) {
    if (!(err instanceof TooManyStates)) throw err;
    const r: PartitionResult = { key, valid: 'unknown', ops: ops.length, ms: performance.now() - t0, reason: 'memory', limit: `the model reached ${err.limit} distinct states (the cap that follows --memory)` };
    return done(r);
  }
  const deadline =
    limits.deadlineEpochMs === undefined ? undefined : performance.now() + (limits.deadlineEpochMs - Date.now());
  const searchLimits = {
    ...(deadline !== undefined ? { deadline } : {}),
    ...(limits.maxBytes !== undefined ? { maxBytes: limits.maxBytes } : {}),
    ...(limits.cancelled ? { cancelled: limits.cancelled } : {}),
  };
  // Partial linearizations (the report's view of an invalid key) cost a look at the stack at
  // every dead end: on small keys that is nothing, on bigger ones it is left to a second,
  // identical search, run only once the key is known to be invalid.
  const partialsUpTo = limits.partialsUpTo ?? 2000;
  const inline = ops.length <= Math.min(partialsUpTo, 300);
  const running = startSearch(problem, { ...searchLimits, trackPartials: inline });
  // Methods, not `const f = () => …`: see the note in search/wgl.ts run() (tsx's keepNames).
  const { withPartials } = {
    withPartials(first: Failure): { problem: Problem; outcome: Failure } {
      if (inline || ops.length > partialsUpTo) return { problem, outcome: first };
      const again = compilePartition(model, ops, initial, maxStates);
      const outcome = startSearch(again, { ...searchLimits, trackPartials: true }).resume();
      return outcome.valid === false ? { problem: again, outcome } : { problem, outcome: first };
    },
  };
  let ms = performance.now() - t0;
  return {
    resume(maxTicks) {
      const t1 = performance.now();
      const outcome = running.resume(maxTicks);
      ms += performance.now() - t1;
      if (outcome.valid === true) return { key, valid: true, ops: ops.length, ms };
      if (outcome.valid === 'unknown' && outcome.reason === 'budget') return undefined;
      if (outcome.valid === 'unknown') return { key, valid: 'unknown', ops: ops.length, ms, reason: outcome.reason as UnknownReason, ...(outcome.limit ? { limit: outcome.limit } : {}) };
      const t2 = performance.now();
      const evidence = withPartials(outcome);
      ms += performance.now() - t2;
      return { key, valid: false, ops: ops.length, ms, anomaly: buildAnomaly(model, evidence.problem, evidence.outcome, key) };
    },
  };
}

/** A check already decided. */
function done(r: PartitionResult): PartitionCheck {
  return {
    resume() {
      return r;
    },
  };
}
