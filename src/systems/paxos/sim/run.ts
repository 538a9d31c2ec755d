// One simulated run from one seed: build the world, run clients and faults, heal, read every key
// once more, then judge the run by the safety invariants and the linearizability checker.
import type { HistoryEvent } from '../../../../checker/types.ts';
import { DEFAULT_LEASE_MS, type BugName, type ElectionPolicy } from '../types.ts';
import { Clients } from './clients.ts';
import { counterOracle } from './counter-oracle.ts';
import { Nemesis } from './faults.ts';
import { SafetyMonitor } from './invariants.ts';
import type { Linearizability } from './linearizability.ts';
import { Random } from './random.ts';
import { Scheduler } from './scheduler.ts';
import { World } from './world.ts';

export interface SimOptions {
  seed: number;
  bugs?: ReadonlySet<BugName>;
  nodes?: number;
  clients?: number;
  /** Simulated milliseconds of workload under faults. */
  timeMs?: number;
  keys?: string[];
  /** null: safety invariants only. */
  checker?: Linearizability | null;
  election?: ElectionPolicy;
  /** Membership faults: two spare nodes join, members leave (never below three voters). */
  membership?: boolean;
  /** Wall-clock faults: a split cuts the leader off and steps its wall clock behind the others'. */
  clock?: boolean;
  /** Leader leases on (as `--db-option leases`: 300 ms, on the monotonic clock unless bug lease-wall-clock). */
  leases?: boolean;
}

export type Violation =
  | { kind: 'safety'; message: string; atMs: number }
  | { kind: 'linearizability'; message: string }
  | { kind: 'liveness'; message: string };

export interface SimResult {
  seed: number;
  ok: boolean;
  violation: Violation | null;
  /** Whether the linearizability checker ran (false: it is unavailable). */
  checked: boolean;
  /** 'unknown' when the checker hit a limit. */
  linearizable: boolean | 'unknown' | null;
  history: HistoryEvent[];
  stats: { ops: number; infos: number; faults: number; messages: number; slots: number; simMs: number; crashes: number; failovers: number[]; campaigns: number; memberChanges: number };
}

export function runSim(o: SimOptions): SimResult {
  const rng = new Random(o.seed);
  const sched = new Scheduler();
  const monitor = new SafetyMonitor(() => sched.now);
  const bugs = o.bugs ?? new Set<BugName>();
  const timeMs = o.timeMs ?? 3000;
  const profile = { drop: 0.01, duplicate: 0.02, slow: 0.05, minDelay: 0.2, maxDelay: 3, slowMaxDelay: 40 };
  const world = new World(sched, rng.fork(), profile, {
    nodes: o.nodes ?? 3,
    bugs,
    tickMs: 5,
    snapshotEvery: 40,
    fsyncDelay: [2, 30],
    fsyncLatency: [0.1, 2],
    election: o.election ?? 'random',
    spares: o.membership ? 2 : 0,
    ...(o.leases ? { leaseMs: DEFAULT_LEASE_MS } : {}),
  }, monitor);
  const clients = new Clients(sched, rng.fork(), world, {
    clients: o.clients ?? 4,
    keys: o.keys ?? ['x', 'y'],
    attemptTimeout: [40, 120],
    opDeadline: 600,
    thinkTime: [0, 15],
    linkDelay: [0.1, 1],
    replyLoss: 0.03,
  });
  const nemesis = new Nemesis(sched, rng.fork(), world, clients.history, {
    interval: [80, 400],
    downtime: [5, 400],
    partitionLength: [100, 800],
    membership: o.membership ?? false,
    clock: o.clock ?? false,
  });

  // Let a leader emerge before the clients start, as a real test waits for the cluster.
  sched.runUntil(400);
  clients.start(400 + timeMs);
  nemesis.start(400 + timeMs);
  sched.runUntil(400 + timeMs);
  nemesis.healAll();
  const healedAt = sched.now;
  sched.runUntil(400 + timeMs + 1500);
  clients.finalReads(sched.now + 3000);
  sched.runUntil(sched.now + 3000);

  const history = clients.history;
  let violation: Violation | null = null;
  if (monitor.violation) violation = { kind: 'safety', message: monitor.violation.message, atMs: monitor.violation.at };
  // Liveness: with every fault healed and a majority up, something must succeed again.
  if (!violation && !history.some((e) => e.type === 'ok' && e.time >= healedAt * 1e6)) {
    violation = { kind: 'liveness', message: `no op succeeded in the ${(sched.now - healedAt).toFixed(0)} simulated ms after every fault healed (at ${healedAt.toFixed(1)} ms)` };
  }
  let linearizable: SimResult['linearizable'] = null;
  if (o.checker) {
    const { result, ops } = o.checker.check(history);
    linearizable = result.valid;
    if (result.valid === false && !violation) violation = { kind: 'linearizability', message: o.checker.format(result, ops) };
  }
  if (!violation) {
    // A second, independent opinion on the same history (and the only one without the checker).
    const breach = counterOracle(history);
    if (breach) violation = { kind: 'linearizability', message: `${breach}${linearizable === true ? ' [the checker said linearizable: report this]' : ''}` };
  }
  let crashes = 0;
  for (const n of world.nodes.values()) crashes += n.crashes;
  return {
    seed: o.seed,
    ok: violation === null,
    violation,
    checked: Boolean(o.checker),
    linearizable,
    history,
    stats: {
      ops: clients.completed,
      infos: clients.infos,
      faults: nemesis.faults,
      messages: world.net.sent,
      slots: monitor.slotsChosen,
      simMs: sched.now,
      crashes,
      failovers: world.failovers,
      campaigns: world.campaigns(),
      memberChanges: nemesis.memberChanges,
    },
  };
}
