// One partition (usually one key) from ops to verdict; runs in the main thread or a worker.
import { buildAnomaly, staleProofAnomaly } from './evidence/anomaly.ts';
import type { AnyModel } from './models/model.ts';
import { compilePrepared, statesCapFor, TooManyStates, type Problem } from './search/problem.ts';
import { startSearch, type SearchOutcome } from './search/wgl.ts';
import { linearizableInCallOrder } from './search/call-order.ts';
import { findStaleProof } from './search/stale-proof.ts';
import { Slab } from './search/slab.ts';
import type { Anomaly, Operation, PartitionResult, UnknownReason } from './types.ts';

export interface PartitionLimits {
  /** Date.now() after which to give up (wall clock, so it means the same in every thread). */
  deadlineEpochMs?: number;
  maxBytes?: number;
  /** Record partial linearizations per op when the partition has at most this many ops (0: never). */
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
  const final = model.prune(kept);
  if (final.length === kept.length) return compilePrepared(model, kept, keptPrepared, initial, maxStates, slab);
  // What prune kept is a subsequence (its contract): walk both, rather than map ops to their
  // prepared forms in a Map keyed by op, which was a sixth of a tiny etcd log's check.
  const finalPrepared: unknown[] = new Array(final.length);
  for (let i = 0, j = 0; i < final.length; i++, j++) {
    while (j < kept.length && kept[j] !== final[i]) j++;
    if (j === kept.length) throw new Error(`model ${model.name}: prune() must return a subsequence of the ops it was given`);
    finalPrepared[i] = keptPrepared[j];
  }
  return compilePrepared(model, final, finalPrepared, initial, maxStates, slab);
}

/**
 * Partitions of at least this many ops, with at least this many ok ops running at a time on
 * average, look for a stale-read proof before any search. (Measured: Porcupine's c50 files,
 * fifty clients on ten keys, run 4-6 at a time per key; its c10 files and an easy 100k-op kv
 * history 0.4-1.5, and their searches take about a step per op.)
 */
const PROVE_FIRST_FROM = 64;
const PROVE_FIRST_CONCURRENCY = 2;

/** Mean number of ok ops running at once: their summed durations over the span they cover. */
function concurrency(p: Problem): number {
  let busy = 0;
  let from = Infinity;
  let to = -Infinity;
  for (let i = 0; i < p.okCount; i++) {
    busy += p.ret[i]! - p.call[i]!;
    if (p.call[i]! < from) from = p.call[i]!;
    if (p.ret[i]! > to) to = p.ret[i]!;
  }
  return to > from ? busy / (to - from) : 0;
}

type Failure = Extract<SearchOutcome, { valid: false }>;

/** One partition's check, which may pause after a number of search steps and go on later. */
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
  let problem: Problem;
  try {
    problem = compilePartition(model, ops, initial, maxStates, slab, prepared);
  } catch (err) {
    if (!(err instanceof TooManyStates)) throw err;
    const r: PartitionResult = { key, valid: 'unknown', ops: ops.length, ms: performance.now() - t0, reason: 'memory', limit: `the model reached ${err.limit} distinct states (the cap that follows --memory)` };
    return done(r);
  }
  // A proof costs a pass over the ops. A small partition's search is cheaper still, and so is
  // that of a big one with little concurrency: both are usually done in their first turn, so
  // there the proof waits until that turn has not sufficed.
  let proofPending = true;
  if (ops.length >= PROVE_FIRST_FROM && concurrency(problem) >= PROVE_FIRST_CONCURRENCY) {
    proofPending = false;
    const proven = staleByProof(model, key, problem, initial, maxStates, slab);
    if (proven !== undefined) return done({ key, valid: false, ops: ops.length, ms: performance.now() - t0, anomaly: proven });
  }
  const deadline =
    limits.deadlineEpochMs === undefined ? undefined : performance.now() + (limits.deadlineEpochMs - Date.now());
  // Partial linearizations (the report's view of an invalid key) cost a look at the stack at
  // every dead end: on small keys that is nothing, on bigger ones it is left to a second,
  // identical search, run only once the key is known to be invalid.
  const partialsUpTo = limits.partialsUpTo ?? 2000;
  const inline = ops.length <= Math.min(partialsUpTo, 300);
  // Plain properties, left undefined when unset: spreading optional ones in costs a tiny check.
  const searchLimits = { deadline, maxBytes: limits.maxBytes, cancelled: limits.cancelled, trackPartials: inline };
  const running = startSearch(problem, searchLimits);
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
  let turns = 0;
  return {
    resume(maxTicks) {
      const t1 = performance.now();
      if (proofPending && turns++ > 0) {
        proofPending = false;
        const proven = staleByProof(model, key, problem, initial, maxStates, slab);
        if (proven !== undefined) return { key, valid: false, ops: ops.length, ms: ms + performance.now() - t1, anomaly: proven };
      }
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

/**
 * A stale read proven without a search (search/stale-proof.ts), with an order of the ops
 * completed before the observer began when a short search of those ops alone finds one (ops
 * still running then may or may not have taken effect; none found usually means an earlier
 * anomaly the proof does not cover). Undefined when there is no proof: the search decides.
 */
function staleByProof(model: AnyModel, key: string | null, p: Problem, initial: unknown, maxStates: number, slab: Slab | undefined): Anomaly | undefined {
  const proof = findStaleProof(p);
  if (proof === undefined) return undefined;
  const g = p.ops[proof.observer]!;
  const after = p.ops[proof.writer]!;
  const before: Operation[] = [];
  const beforePrepared: unknown[] = [];
  for (let i = 0; i < p.ops.length; i++) {
    const o = p.ops[i]!;
    if (!(o.call < g.call)) continue;
    if (o.status === 'ok' && o.return < g.call) {
      before.push(o);
      beforePrepared.push(p.prepared[i]);
    } else if (p.readOnly[i] === 0) {
      const pending: Operation = { ...o, status: 'info', output: undefined, return: Infinity };
      delete pending.compareFailed;
      before.push(pending);
      beforePrepared.push(model.prepare(pending));
    }
  }
  let order: { prefix: number[]; state: string } | undefined;
  try {
    const q = compilePartition(model, before, initial, maxStates, slab, beforePrepared);
    // Most orders that exist are found in a few steps per op; more would rather be the search's.
    const outcome = startSearch(q).resume(8 * before.length + 256);
    if (outcome.valid === true) {
      let s = q.initial;
      for (const i of outcome.order) s = q.step(s, i);
      order = { prefix: Array.from(outcome.order, (i) => q.ops[i]!.id), state: q.describeState(s) };
    }
  } catch (err) {
    if (!(err instanceof TooManyStates)) throw err;
  }
  return staleProofAnomaly(model, g, after, order, key);
}

/** A check already decided. */
function done(r: PartitionResult): PartitionCheck {
  return {
    resume() {
      return r;
    },
  };
}
