// The workloads tenrec knows, and the phases of a run built from one of them:
// main (the op mix at a rate, until the time limit), then — after the runner heals every fault and
// lets the cluster quiesce — a final read of every key from every node.
import { sequence, stagger, timeLimitOr, type Generator, type PlannedOp } from './generator.ts';
import { counterOps } from './counter.ts';
import { registerOps } from './register.ts';
import { casRegisterOps } from './cas-register.ts';
import { setOps } from './set.ts';
import { keyNames } from './keys.ts';
import type { Operation } from '../checker/types.ts';
import { checkCounterBounds } from '../checker/quick/counter-bounds.ts';
import { checkSetFull } from '../checker/quick/set-full.ts';
import type { QuickCheckResult } from '../checker/quick/quick-check.ts';

export type WorkloadName = 'counter' | 'register' | 'cas-register' | 'set';
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['counter', 'register', 'cas-register', 'set'];

export interface Workload {
  name: WorkloadName;
  /** The ops a system's client must offer to run it (ClientOp.f). */
  fs: readonly string[];
  /** The checker model that judges this workload's histories. */
  model: 'counter' | 'register' | 'cas-register' | 'set';
  ops(keys: readonly string[]): Generator;
  /** Jepsen's linear-time checkers that fit this workload, run beside linearizability. */
  quick?: (ops: readonly Operation[]) => QuickCheckResult[];
}

export const WORKLOADS: Record<WorkloadName, Workload> = {
  counter: { name: 'counter', fs: ['inc', 'read'], model: 'counter', ops: counterOps, quick: (ops) => [checkCounterBounds(ops)] },
  register: { name: 'register', fs: ['read', 'write'], model: 'register', ops: registerOps },
  'cas-register': { name: 'cas-register', fs: ['read', 'write', 'cas'], model: 'cas-register', ops: casRegisterOps },
  set: { name: 'set', fs: ['add', 'read'], model: 'set', ops: (keys) => setOps(keys), quick: (ops) => [checkSetFull(ops)] },
};

export interface PhaseOptions {
  workload: WorkloadName;
  keys: number;
  /** Ops per second overall, across all workers. */
  rate: number;
  /** Length of the main phase, seconds. */
  timeLimitS: number;
  nodes: number;
}

/**
 * The main phase: the workload's mix, staggered to `rate`, ending at the time limit (from
 * `startNs`), or later while `holdOpen()` (the nemesis has a fault of the first round to finish).
 */
export function mainPhase(o: PhaseOptions, startNs = 0, holdOpen: () => boolean = () => false): Generator {
  const gen = WORKLOADS[o.workload].ops(keyNames(o.keys));
  return timeLimitOr(startNs + o.timeLimitS * 1e9, holdOpen, stagger(1e9 / o.rate, gen, startNs));
}

/** The final phase: every key read once through every node (pinned by node index). */
export function finalReadOps(keys: number, nodes: number): Omit<PlannedOp, 'time'>[] {
  const ops: Omit<PlannedOp, 'time'>[] = [];
  for (const key of keyNames(keys)) for (let node = 0; node < nodes; node++) ops.push({ f: 'read', key, value: null, node });
  return ops;
}

export function finalReadPhase(keys: number, nodes: number): Generator {
  return sequence(finalReadOps(keys, nodes));
}

export { keyNames };
export * from './generator.ts';
export * from './rng.ts';
