// The checker's entry point: ops in, verdict (with evidence) out.
import { startPartition, type PartitionCheck, type PartitionLimits } from './check-partition.ts';
import { Slab } from './search/slab.ts';
import { getModel, inferModel } from './models/index.ts';
import type { AnyModel } from './models/model.ts';
import { unpartitioned } from './models/product.ts';
import { availableParallelism } from 'node:os';
import { checkInWorkers } from './parallel.ts';
import { partitionPrepared, type Part } from './partition.ts';
import type { CheckResult, Operation, PartitionResult, UnknownReason } from './types.ts';

export interface CheckOptions {
  /** A model name (see `models`) or a model object; inferred from the ops' `f`s when absent. */
  model?: string | AnyModel;
  /** Every partition's initial value (default: the model's own, 0 for registers). */
  initial?: unknown;
  /** Give up with `unknown` (reason 'timeout') after this long. */
  timeoutMs?: number;
  /** Cap on the search caches, in MB (split between workers); reaching it gives `unknown`. */
  memoryMb?: number;
  /** Worker threads (default: the machine's cores; histories under `parallelFrom` ops use none). */
  workers?: number;
  /** Smallest history (ops) worth starting worker threads for (each loads tsx: ~1-2 s); default 300000. */
  parallelFrom?: number;
  /** Stop at the first invalid partition (default true): one piece of evidence is enough. */
  stopOnFirstInvalid?: boolean;
  /** Split by key (default true). false checks the whole history as one state (slower). */
  partition?: boolean;
  /**
   * Record, for the invalid key, each op's longest partial linearization (the HTML report's
   * click-to-list view; `Anomaly.partialLinearizations`). Default false: it costs a look at the
   * search's stack at every dead end, or a second search, as Porcupine's verbose check does.
   */
  partials?: boolean;
}

interface Plan {
  model: AnyModel;
  initial: unknown;
  parts: Part[];
  /** `prepared[i][j]` is `model.prepare(parts[i].ops[j])`, when the model is the one that prepared them. */
  prepared?: unknown[][];
  deadlineEpochMs?: number;
  maxBytes?: number;
  stopOnFirstInvalid: boolean;
  partials: boolean;
}

/** Whether the ops touch more than one partition key (it stops at the second). */
function severalKeys(model: AnyModel, ops: Operation[]): boolean {
  if (ops.length === 0) return false;
  const first = model.partitionKey(ops[0]!);
  for (let i = 1; i < ops.length; i++) if (model.partitionKey(ops[i]!) !== first) return true;
  return false;
}

function plan(ops: Operation[], opts: CheckOptions): Plan {
  const base = opts.model === undefined ? inferModel(ops) : typeof opts.model === 'string' ? getModel(opts.model) : opts.model;
  const baseInitial = opts.initial === undefined ? base.initial : base.initialFrom(opts.initial);
  let model = base;
  let initial: unknown = baseInitial;
  let parts: Part[];
  let prepared: unknown[][] | undefined;
  // Every op is validated up front, in this thread, so bad input fails the same way everywhere.
  if (opts.partition === false) {
    if (severalKeys(base, ops)) {
      model = unpartitioned(base, baseInitial);
      initial = model.initial;
    }
    prepared = [ops.map((o) => model.prepare(o))];
    parts = [{ key: null, ops }];
  } else {
    ({ parts, prepared } = partitionPrepared(base, ops));
  }
  return {
    model,
    initial,
    parts,
    ...(prepared ? { prepared } : {}),
    ...(opts.timeoutMs !== undefined ? { deadlineEpochMs: Date.now() + opts.timeoutMs } : {}),
    ...(opts.memoryMb !== undefined ? { maxBytes: opts.memoryMb * 1024 * 1024 } : {}),
    stopOnFirstInvalid: opts.stopOnFirstInvalid ?? true,
    partials: opts.partials ?? false,
  };
}

function combine(p: Plan, ops: number, results: (PartitionResult | undefined)[], ms: number): CheckResult {
  const parts = results.filter((r): r is PartitionResult => r !== undefined);
  const invalid = parts.find((r) => r.valid === false);
  const unknown = parts.find((r) => r.valid === 'unknown');
  const result: CheckResult = {
    valid: invalid ? false : unknown || parts.length < p.parts.length ? 'unknown' : true,
    model: p.model.name,
    ops,
    partitions: p.parts.length,
    ms,
    parts,
  };
  if (invalid?.anomaly) result.anomaly = invalid.anomaly;
  if (!invalid && result.valid === 'unknown') {
    result.reason = (unknown?.reason ?? 'cancelled') as UnknownReason;
    if (unknown?.limit) result.limit = unknown.limit;
  }
  return result;
}

/**
 * Checks in this thread. Partitions take turns, each pausing after a step budget that doubles
 * per round and going on where it stopped, so one hard valid partition cannot hide an invalid
 * one that fails fast (as racing threads would find it), and no search work is ever redone.
 */
export function checkSync(ops: Operation[], opts: CheckOptions = {}): CheckResult {
  const t0 = performance.now();
  const p = plan(ops, opts);
  const limits: PartitionLimits = { deadlineEpochMs: p.deadlineEpochMs, maxBytes: p.maxBytes, partialsUpTo: p.partials ? undefined : 0 };
  // One slab for all: many small keys would otherwise pay for a buffer each.
  const slab = Slab.borrow(ops.length);
  try {
    return checkTurns(p, ops.length, limits, slab, t0);
  } finally {
    // Nothing a result holds points into the slab: the search's arrays are copied out.
    slab.release();
  }
}

function checkTurns(p: Plan, opCount: number, limits: PartitionLimits, slab: Slab, t0: number): CheckResult {
  const results: (PartitionResult | undefined)[] = new Array(p.parts.length).fill(undefined);
  // Compiled on first turn: a partition that finishes then never holds more than its own turn.
  const running: (PartitionCheck | undefined)[] = new Array(p.parts.length).fill(undefined);
  let pending = p.parts.map((_, i) => i);
  // In search steps per op: a valid partition usually needs a few per op, so most finish in
  // the first round and only hard ones take more turns.
  let budget = 1;
  rounds: while (pending.length > 0) {
    const still: number[] = [];
    for (const idx of pending) {
      const part = p.parts[idx];
      const c = (running[idx] ??= startPartition(p.model, part.key, part.ops, p.initial, limits, slab, p.prepared?.[idx]));
      const r = c.resume(pending.length > 1 ? budget * part.ops.length + 256 : undefined);
      if (r === undefined) {
        still.push(idx);
        continue;
      }
      results[idx] = r;
      running[idx] = undefined;
      if (r.valid === false && p.stopOnFirstInvalid) break rounds;
      if (r.valid === 'unknown' && r.reason === 'timeout') break rounds;
    }
    pending = still;
    budget *= 2;
  }
  return combine(p, opCount, results, performance.now() - t0);
}

/**
 * Checks a history: partitions (keys) independently, in worker threads when the history is
 * big enough to pay for starting them. Never a wrong answer: limits give `unknown`.
 */
export async function check(ops: Operation[], opts: CheckOptions = {}): Promise<CheckResult> {
  const workers = opts.workers ?? availableParallelism();
  const byName = opts.model === undefined || typeof opts.model === 'string';
  const big = ops.length >= (opts.parallelFrom ?? 300_000);
  if (workers <= 1 || !big || !byName || opts.partition === false) return checkSync(ops, opts);
  const t0 = performance.now();
  const p = plan(ops, opts);
  if (p.parts.length < 2) return checkSync(ops, opts);
  const results = await checkInWorkers(p.parts, {
    workers,
    model: p.model.name,
    initial: p.initial,
    ...(p.deadlineEpochMs !== undefined ? { deadlineEpochMs: p.deadlineEpochMs } : {}),
    ...(p.maxBytes !== undefined ? { maxBytesPerWorker: Math.floor(p.maxBytes / Math.min(workers, p.parts.length)) } : {}),
    stopOnFirstInvalid: p.stopOnFirstInvalid,
    partials: p.partials,
  });
  return combine(p, ops.length, results, performance.now() - t0);
}
