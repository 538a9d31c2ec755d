// `tenrec sim`: run the deterministic simulator over a list of seeds and report any violation
// with its seed, its kind, the counterexample and the command that replays it.
import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { EXIT_INVALID, EXIT_VALID } from '../../../errors/exit-codes.ts';
import { UserError } from '../../../errors/user-error.ts';
import { BUG_NAMES, ELECTION_POLICIES, type BugName, type ElectionPolicy } from '../types.ts';
import { loadChecker } from '../sim/linearizability.ts';
import { runSim, type SimResult, type Violation } from '../sim/run.ts';
import { parseSeeds } from '../sim/seeds.ts';
import { inShard, shardFrom } from '../../../campaign/shard.ts';

interface SimArgs {
  seeds: string;
  bug?: string[];
  nodes: number;
  election: string;
  shard?: string;
  clients: number;
  time: number;
  json: boolean;
  stop: boolean;
  history?: string;
  checker: boolean;
  membership: boolean;
  clock: boolean;
  leases: boolean;
}

export const simCommand: CommandModule<object, SimArgs> = {
  command: 'sim',
  describe: 'Run the Paxos cores in the deterministic simulator, one seeded fault schedule per seed',
  builder: (y) =>
    y
      .option('seeds', { type: 'string', default: '1..100', describe: 'seeds to run: N, A..B, or a comma list' })
      .option('bug', { type: 'string', array: true, describe: `switch on a bug (${BUG_NAMES.join(', ')})` })
      .option('nodes', { type: 'number', default: 3, describe: 'replicas' })
      .option('election', { type: 'string', default: 'random', describe: 'election timeouts: random (drawn per wait) or bully (fixed by rank, the highest live id stands first)' })
      .option('clients', { type: 'number', default: 4, describe: 'concurrent simulated clients' })
      .option('time', { type: 'number', default: 3000, describe: 'simulated milliseconds of workload under faults' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON summary on stdout' })
      .option('stop', { type: 'boolean', default: false, describe: 'stop at the first violation' })
      .option('shard', { type: 'string', describe: 'run shard I/N of the seeds only (the I-th, I+N-th, …); also from TENREC_SHARD, or JOB_COMPLETION_INDEX with TENREC_SHARD_COUNT' })
      .option('history', { type: 'string', describe: 'write the history (JSONL) of the first failing seed, or of the only seed, to this file' })
      .option('membership', { type: 'boolean', default: false, describe: 'membership faults too: two spare nodes join, members leave (never below three voters), one replaces another' })
      .option('clock', { type: 'boolean', default: false, describe: "wall-clock faults too: the clock nemesis's split (the leader cut off, its wall clock 0.2-1.5 s behind the others', theirs as far ahead); monotonic clocks stay true" })
      .option('leases', { type: 'boolean', default: false, describe: 'leader leases on (300 ms, on the monotonic clock), as the cluster\'s --db-option leases; bug lease-wall-clock switches them on by itself' })
      .option('checker', { type: 'boolean', default: true, describe: 'run the linearizability checker (--no-checker: safety invariants and the counter oracle only)' })
      .example('$0 sim --seeds 1..1000', 'the correct build: expect no violation')
      .example('$0 sim --seeds 1..200 --bug no-dedup', 'find the double-applied increment')
      .example('$0 sim --seeds 1..200 --bug lease-wall-clock --clock', 'a lease timed by a stepped wall clock')
      .example('$0 sim --seeds 41 --bug promise-not-persisted --history h.jsonl', 'replay one seed and keep its history'),
  handler: async (argv) => {
    let seeds: number[];
    try {
      seeds = parseSeeds(String(argv.seeds));
    } catch (e) {
      throw new UserError(`--seeds: ${(e as Error).message}`);
    }
    const shard = shardFrom(argv.shard);
    seeds = seeds.filter((_, i) => inShard(i, shard));
    const bugs = new Set<BugName>();
    for (const b of argv.bug ?? []) {
      if (!(BUG_NAMES as readonly string[]).includes(b)) throw new UserError(`--bug: unknown bug ${JSON.stringify(b)}; known: ${BUG_NAMES.join(', ')}`);
      bugs.add(b as BugName);
    }
    for (const [name, v, min, max] of [['nodes', argv.nodes, 1, 9], ['clients', argv.clients, 1, 64], ['time', argv.time, 100, 600_000]] as const) {
      if (!Number.isInteger(v) || v < min || v > max) throw new UserError(`--${name} must be an integer from ${min} to ${max}, got ${v}`);
    }
    const checker = argv.checker ? await loadChecker() : null;
    if (argv.checker && !checker) process.stderr.write('tenrec sim: the linearizability checker is not available; using safety invariants and the counter oracle\n');

    if (!(ELECTION_POLICIES as readonly string[]).includes(argv.election)) throw new UserError(`--election must be ${ELECTION_POLICIES.join(' or ')}, got ${JSON.stringify(argv.election)}`);
    const election = argv.election as ElectionPolicy;
    const failovers: number[] = [];
    let campaigns = 0;
    let leaderCrashes = 0;
    let memberChanges = 0;
    const started = Date.now();
    const failures: SimResult[] = [];
    let ops = 0;
    let done = 0;
    let lastProgress = started;
    for (const seed of seeds) {
      const r = runSim({ seed, bugs, nodes: argv.nodes, clients: argv.clients, timeMs: argv.time, checker, election, membership: argv.membership, clock: argv.clock, leases: argv.leases });
      done++;
      ops += r.stats.ops;
      failovers.push(...r.stats.failovers);
      campaigns += r.stats.campaigns;
      memberChanges += r.stats.memberChanges;
      leaderCrashes += r.stats.failovers.length;
      if (argv.history && (seeds.length === 1 || (!r.ok && failures.length === 0))) {
        writeFileSync(argv.history, r.history.map((e) => JSON.stringify(e)).join('\n') + '\n');
      }
      if (!r.ok) {
        failures.push(r);
        if (!argv.json) printViolation(r, argv, bugs);
        if (argv.stop) break;
      }
      if (Date.now() - lastProgress > 2000 || done === seeds.length) {
        lastProgress = Date.now();
        process.stderr.write(`tenrec sim: ${done}/${seeds.length} seeds, ${failures.length} failing, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const summary = {
      bugs: [...bugs],
      seeds: done,
      failing: failures.length,
      firstFailing: failures[0]?.seed ?? null,
      failures: failures.map((f) => ({ seed: f.seed, kind: f.violation!.kind, message: f.violation!.message })),
      checker: checker ? 'linearizability' : 'oracle',
      ops,
      seconds,
      seedsPerMinute: Math.round((done / Math.max(seconds, 1e-3)) * 60),
      election,
      failoverMs: failoverSummary(failovers),
      campaignsPerSeed: done ? campaigns / done : 0,
      ...(argv.membership ? { memberChanges } : {}),
    };
    if (argv.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else {
      process.stdout.write(
        `${done} seeds, ${failures.length} with a violation${failures.length ? ` (first: seed ${failures[0]!.seed})` : ''}; ` +
          `${ops} client ops; ${seconds.toFixed(1)} s (${summary.seedsPerMinute} seeds/min)\n` +
          `elections (${election}): ${leaderCrashes} leader crashes, failover median ${summary.failoverMs.median.toFixed(0)} ms (p90 ${summary.failoverMs.p90.toFixed(0)} ms); ${summary.campaignsPerSeed.toFixed(1)} campaigns per seed\n` +
          (argv.membership ? `membership: ${memberChanges} changes confirmed (${(memberChanges / Math.max(done, 1)).toFixed(1)} per seed)\n` : ''),
      );
    }
    process.exitCode = failures.length > 0 ? EXIT_INVALID : EXIT_VALID;
  },
};

function failoverSummary(ms: number[]): { count: number; median: number; p90: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN);
  return { count: s.length, median: at(0.5), p90: at(0.9) };
}

const VIOLATION_WORDS: Record<Violation['kind'], string> = { safety: 'safety invariant violated', linearizability: 'not linearizable', liveness: 'did not recover' };

function printViolation(r: SimResult, argv: SimArgs, bugs: Set<BugName>): void {
  const v = r.violation!;
  const where = v.kind === 'safety' ? ` at ${v.atMs.toFixed(1)} simulated ms` : '';
  const flags = [`--seeds ${r.seed}`, ...[...bugs].map((b) => `--bug ${b}`)];
  if (argv.nodes !== 3) flags.push(`--nodes ${argv.nodes}`);
  if (argv.clients !== 4) flags.push(`--clients ${argv.clients}`);
  if (argv.time !== 3000) flags.push(`--time ${argv.time}`);
  if (argv.membership) flags.push('--membership');
  if (argv.clock) flags.push('--clock');
  if (argv.leases) flags.push('--leases');
  process.stdout.write(
    `seed ${r.seed}: ${VIOLATION_WORDS[v.kind]}${where}\n` +
      `  ${v.message.split('\n').join('\n  ')}\n` +
      `  replay: tenrec sim ${flags.join(' ')} --history seed-${r.seed}.jsonl\n`,
  );
}
