// `tenrec test`: one stress test against a fresh cluster (docs/cli.md).
import type { CommandModule } from 'yargs';
import { DEFAULTS, etcdSerializable, parseFailpoints, parseNemesis, type TestSettings } from '../../runner/settings.ts';
import { BUILTIN_SYSTEMS } from '../../systems/index.ts';
import { describeDbChoices } from '../../system/load-system.ts';
import { WORKLOAD_NAMES, type WorkloadName } from '../../../workloads/index.ts';
import { junitOption } from '../../ci/junit.ts';
import { unknownOption } from '../../ci/unknown-policy.ts';
import { faultSummary } from '../../runner/fault-counts.ts';
import { recoverySummary, UNAVAILABLE_MS, windowsSummary } from '../../runner/recovery.ts';
import { HOST_FLAGS, hostSourceFromFlags, type HostFlagArgs } from '../../remote/hosts-file.ts';
import type { RunOutcome } from '../../runner/run-test.ts';

interface TestArgs extends HostFlagArgs {
  workload: string;
  nodes?: number;
  concurrency?: number;
  rate?: number;
  keys: number;
  'time-limit': number;
  nemesis?: string;
  'nemesis-interval'?: number;
  failpoints?: string;
  seed?: number;
  bug?: string;
  db?: string;
  'db-option'?: string[];
  'etcd-serializable-reads'?: boolean;
  net: string;
  name?: string;
  'results-dir': string;
  check: boolean;
  'op-timeout'?: number;
  quiesce: number;
  'check-timeout': number;
  'max-recovery'?: number;
  progress: boolean;
  resend: number;
  json: boolean;
  junit?: string;
  unknown: string;
}

/** Per built-in bug, the faults `--bug` brings, for --help. */
function catchTable(): string {
  return Object.values(BUILTIN_SYSTEMS)
    .flatMap((s) => s.bugs.filter((b) => b.catchWith).map((b) => `${b.name} → ${b.catchWith!.nemesis.join(',')}${b.catchWith!.maxRecovery ? ` --max-recovery ${b.catchWith!.maxRecovery}` : ''}${b.catchWith!.nemesisInterval ? ` --nemesis-interval ${b.catchWith!.nemesisInterval}` : ''}${b.catchWith!.opTimeoutMs ? ` --op-timeout ${b.catchWith!.opTimeoutMs}` : ''}${b.catchWith!.failpoints ? ` --failpoints ${b.catchWith!.failpoints.join(',')}` : ''}`))
    .join('; ');
}

/** Each built-in system's bugs, for --help. */
export function bugChoices(): string {
  return Object.values(BUILTIN_SYSTEMS)
    .map((s) => `${s.name}: ${s.bugs.map((b) => b.name).join(', ') || 'none'}`)
    .join('; ');
}

/** Each built-in system's --db-option switches, for --help. */
function dbOptionChoices(): string {
  return Object.values(BUILTIN_SYSTEMS)
    .filter((s) => s.options?.length)
    .map((s) => `${s.name}: ${s.options!.map((o) => `${o.name} (${o.summary})`).join(', ')}`)
    .join('; ');
}

const VERDICT_WORDS = { true: 'VALID (linearizable)', false: 'INVALID (not linearizable)', unknown: 'UNKNOWN' } as const;

/** The verdict line names what failed: a history can be linearizable and still fail liveness or a quick checker. */
function verdictWords(o: RunOutcome): string {
  if (o.valid !== false || o.result.valid === false) return VERDICT_WORDS[String(o.valid) as keyof typeof VERDICT_WORDS];
  const why = [o.livenessProblem ? 'did not recover in time' : undefined, ...o.quick.filter((q) => !q.valid).map((q) => `${q.checker} failed`)].filter(Boolean);
  return `INVALID (${why.join('; ') || 'see above'}; the history itself is ${o.result.valid === true ? 'linearizable' : 'not decided'})`;
}

export const testCommand: CommandModule<object, TestArgs> = {
  command: 'test',
  describe: 'Start a fresh cluster, run a workload while the nemesis breaks it, heal, check and store the run',
  builder: (y) =>
    y
      .option('workload', { type: 'string', default: DEFAULTS.workload, describe: `Workload: ${WORKLOAD_NAMES.join(', ')}` })
      .option('nodes', { type: 'number', describe: `Cluster size (default ${DEFAULTS.nodes}; with --hosts, one node per host)` })
      .option('concurrency', { type: 'number', describe: `Concurrent clients (default ${DEFAULTS.concurrency}, or what catches --bug best)` })
      .option('rate', { type: 'number', describe: `Target ops/s overall (default ${DEFAULTS.rate}, or what catches --bug best)` })
      .option('keys', { type: 'number', default: DEFAULTS.keys, describe: 'Registers the ops spread over' })
      .option('time-limit', { type: 'number', default: DEFAULTS.timeLimit, describe: 'Seconds of workload (before heal and final reads)' })
      .option('nemesis', { type: 'string', describe: `Faults: kill,pause,partition,power-loss (= all), failpoint, fsync (needs fiu-utils), clock (needs libfaketime), corrupt (a stopped node's write-ahead log damaged), membership (nodes join and leave; two spares), or none (default ${DEFAULTS.nemesis.join(',')}; with --bug, the faults that catch it best: ${catchTable()})` })
      .option('nemesis-interval', { type: 'number', describe: `Mean seconds between faults, each holding about as long (default ${DEFAULTS.nemesisInterval}, or what catches --bug best); shrunk (not below 1 s) when needed so every kind gets a turn within the time limit` })
      .option('failpoints', { type: 'string', describe: 'The failpoints --nemesis failpoint may aim at, comma-separated (default: every one the system has, or what catches --bug best); paxos has promise-sent, leader-elected, reply-sent, snapshot-written, before-apply' })
      .option('seed', { type: 'number', describe: 'Seed for every random choice (default: random, stored in test.json)' })
      .option('bug', { type: 'string', describe: `Switch on a bug of the system: ${bugChoices()}` })
      .option('db', { type: 'string', describe: `System under test: ${describeDbChoices()} (default ${DEFAULTS.db})` })
      .option('db-option', { type: 'string', array: true, describe: `Turn on a switch of the system (repeatable): ${dbOptionChoices()}` })
      .option('etcd-serializable-reads', { type: 'boolean', describe: "Short for --db etcd --bug serializable-reads: etcd's own serializable reads, stale by design" })
      .option('net', {
        type: 'string',
        default: DEFAULTS.net,
        describe: 'How partitions are made: proxy (a fault-injecting TCP proxy, no privileges) or netns (each node in a network namespace, packets dropped by tc filters; needs root and iproute2)',
      })
      .option('name', { type: 'string', describe: 'Test name (results/<name>/…); default from workload and bug' })
      .option('results-dir', { type: 'string', default: DEFAULTS.resultsDir, describe: 'Where runs are stored' })
      .option('check', { type: 'boolean', default: true, describe: 'Check the history (--no-check skips it: verdict unknown)' })
      .option('op-timeout', { type: 'number', describe: `Client timeout per op, ms (then the op is info; default ${DEFAULTS.opTimeoutMs}, or what catches --bug best)` })
      .option('quiesce', { type: 'number', default: DEFAULTS.quiesce, describe: 'Seconds to wait after healing, before the final reads' })
      .option('check-timeout', { type: 'number', default: DEFAULTS.checkTimeout, describe: 'Seconds the checker may take (then unknown)' })
      .option('max-recovery', { type: 'number', describe: 'Fail the run (exit 1) when, after a healed fault, no op succeeds within this many seconds: a liveness check' })
      .option('resend', { type: 'number', default: DEFAULTS.resend, describe: 'Resend an op with unknown outcome this many times (same dedup ids, next node)' })
      .option('progress', { type: 'boolean', default: true, describe: 'Live progress line on stderr' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the outcome as one JSON object' })
      .option('junit', junitOption)
      .option('unknown', unknownOption)
      .options(HOST_FLAGS) as never,
  handler: async (a) => {
    const hosts = hostSourceFromFlags(a);
    const settings: Partial<TestSettings> = {
      workload: a.workload as WorkloadName,
      ...(a.nodes !== undefined ? { nodes: a.nodes } : {}),
      ...(hosts ? { hosts } : {}),
      ...(a.concurrency !== undefined ? { concurrency: a.concurrency } : {}),
      ...(a.rate !== undefined ? { rate: a.rate } : {}),
      keys: a.keys,
      timeLimit: a['time-limit'],
      ...(a.nemesis !== undefined ? { nemesis: parseNemesis(a.nemesis) } : {}),
      nemesisInterval: a['nemesis-interval'],
      ...(a.failpoints !== undefined ? { failpoints: parseFailpoints(a.failpoints) } : {}),
      ...(a.seed !== undefined ? { seed: a.seed } : {}),
      ...etcdSerializable(a),
      ...(a['db-option'] !== undefined ? { dbOptions: a['db-option'] } : {}),
      net: a.net as TestSettings['net'],
      ...(a.name !== undefined ? { name: a.name } : {}),
      resultsDir: a['results-dir'],
      check: a.check,
      ...(a['op-timeout'] !== undefined ? { opTimeoutMs: a['op-timeout'] } : {}),
      quiesce: a.quiesce,
      checkTimeout: a['check-timeout'],
      ...(a['max-recovery'] !== undefined ? { maxRecovery: a['max-recovery'] } : {}),
      progress: a.progress,
      resend: a.resend,
    };
    // Loaded on use: every `tenrec node` process starts through this CLI, and should not pay for
    // the runner, the checker and SQLite.
    const { runTest } = await import('../../runner/run-test.ts');
    const { gateExit, writeTestJUnit } = await import('../../ci/gate-flags.ts');
    const { rerunCommand, resolveSettings } = await import('../../runner/settings.ts');
    let o: Awaited<ReturnType<typeof runTest>>;
    try {
      o = await runTest(settings);
    } catch (err) {
      // CI still gets a JUnit file saying the run could not happen (exit 3 follows).
      if (a.junit) {
        let rerun: string | undefined;
        try { rerun = rerunCommand(resolveSettings(settings)); } catch { /* bad flags: no command to give */ }
        writeTestJUnit(a.junit, { valid: 'error', durationMs: 0, error: err instanceof Error ? err.message : String(err), label: 'tenrec test', ...(rerun ? { rerun } : {}) }, a.unknown);
      }
      throw err;
    }
    if (a.junit) writeTestJUnit(a.junit, { dir: o.dir, valid: o.valid, result: o.result, ...(o.anomalyText ? { anomalyText: o.anomalyText } : {}), durationMs: o.durationMs, rerun: rerunCommand(o.settings) }, a.unknown);
    if (a.json) {
      process.stdout.write(
        JSON.stringify({ dir: o.dir, id: o.id, valid: o.valid, db: o.settings.db, seed: o.settings.seed, counts: o.counts, durationMs: o.durationMs, anomaly: o.anomalyText ?? null, pids: o.pids }) + '\n',
      );
    } else {
      const c = o.counts;
      process.stdout.write(
        [
          `run: ${o.dir}`,
          `seed ${o.settings.seed} · ${c.ops} ops (ok ${c.ok}, fail ${c.fail}, info ${c.info}) · faults ${faultSummary(c.faults)} · final reads ok ${c.finalReadsOk}/${c.finalReadsPlanned} · ${(o.durationMs / 1000).toFixed(1)} s`,
          ...(o.nemesisErrors.length ? [`nemesis errors: ${o.nemesisErrors.join('; ')}`] : []),
          ...(o.faultsNote ? [`not every fault happened, so nothing is proved about the missing ones: ${o.faultsNote}`] : []),
          ...o.quick.map((q) => `${q.checker}: ${q.valid ? 'ok' : 'FAILED'}, ${q.summary}`),
          ...(o.recovery.length ? [`recovery after faults: ${recoverySummary(o.recovery)}`] : []),
          `unavailable (no op ok for ${UNAVAILABLE_MS} ms or more): ${windowsSummary(o.unavailable)}`,
          ...(o.anomalyText ? [o.anomalyText] : []),
          `verdict: ${verdictWords(o)}`,
          '',
        ].join('\n'),
      );
    }
    process.exitCode = gateExit([o.valid], a.unknown);
  },
};
