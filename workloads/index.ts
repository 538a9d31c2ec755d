// The workloads tenrec knows, and the phases of a run built from one of them:
// main (the op mix at a rate, until the time limit), then — after the runner heals every fault and
// lets the cluster quiesce — a final read of every key from every node.
import { sequence, stagger, timeLimitOr, type Generator, type PlannedOp } from './generator.ts';
import { counterOps } from './counter.ts';
import { registerOps } from './register.ts';
import { casRegisterOps } from './cas-register.ts';
import { keyNames } from './keys.ts';

export type WorkloadName = 'counter' | 'register' | 'cas-register';
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['counter', 'register', 'cas-register'];

export interface Workload {
  name: WorkloadName;
  /** The checker model that judges this workload's histories. */
  model: 'counter' | 'register' | 'cas-register';
  ops(keys: readonly string[]): Generator;
}

export const WORKLOADS: Record<WorkloadName, Workload> = {
  counter: { name: 'counter', model: 'counter', ops: counterOps },
  register: { name: 'register', model: 'register', ops: registerOps },
  'cas-register': { name: 'cas-register', model: 'cas-register', ops: casRegisterOps },
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
