// Everything that defines a `tenrec test` run. test.json stores these (with the seed), which is
// enough to run the same test again: `rerunCommand` spells it as a command line.
import { WORKLOAD_NAMES, type WorkloadName } from '../../workloads/index.ts';
import { FAULT_KINDS, type FaultKind } from '../../nemesis/fault.ts';
import { ALL_FAULTS } from '../system/fault-kinds.ts';
import { UserError } from '../errors/user-error.ts';
import { builtinSystem, describeDbChoices, isModulePath, settingsProblem } from '../system/load-system.ts';
import { netnsUnavailable } from '../net/netns.ts';
import { scheduleProblem } from '../../nemesis/schedule.ts';
import { hostsFlags, resolveHosts, type HostSource } from '../remote/hosts-file.ts';

export interface TestSettings {
  name: string;
  workload: WorkloadName;
  nodes: number;
  concurrency: number;
  /** Ops per second overall. */
  rate: number;
  keys: number;
  /** Main phase length, seconds. */
  timeLimit: number;
  nemesis: FaultKind[];
  /** Mean seconds between a fault's end and the next one's start; faults hold about as long. */
  nemesisInterval: number;
  /** The failpoints `--nemesis failpoint` may aim at (`--failpoints`); empty: every one the system has. */
  failpoints: string[];
  seed: number;
  /** A switchable bug of the system (System.bugs), or null for the correct build. */
  bug: string | null;
  /** A built-in system's name, or the path of a system module (src/system/load-system.ts). */
  db: string;
  /** Switches of the system turned on (`--db-option`, System.options), e.g. paxos's `leases`. */
  dbOptions: string[];
  /** How partitions are made: the runner's fault proxy, or network namespaces with packet filters (root). */
  net: 'proxy' | 'netns';
  resultsDir: string;
  /** Skip the linearizability check (the verdict is then 'unknown'). */
  check: boolean;
  /** Client timeout per op, ms: past it the op is recorded as `info`. */
  opTimeoutMs: number;
  /** Seconds to wait after healing, before the final reads. */
  quiesce: number;
  /** Check time budget, seconds: past it the verdict is 'unknown'. */
  checkTimeout: number;
  /** Fail the run when, after a healed fault, no op succeeds within this many seconds (null: no limit). */
  maxRecovery: number | null;
  campaignId: string | null;
  /** Print the live progress line on stderr. */
  progress: boolean;
  /** Resends of an op with unknown outcome, same dedup ids, next node (0 = record info at once). */
  resend: number;
  /** Remote hosts the nodes run on (one node per host), or null for this machine. */
  hosts: HostSource | null;
}

export const DEFAULTS: Omit<TestSettings, 'seed'> = {
  name: '',
  workload: 'counter',
  nodes: 3,
  concurrency: 10,
  rate: 200,
  keys: 4,
  timeLimit: 30,
  nemesis: ['kill', 'partition'],
  nemesisInterval: 5,
  failpoints: [],
  bug: null,
  db: 'paxos',
  dbOptions: [],
  net: 'proxy',
  resultsDir: 'results',
  check: true,
  opTimeoutMs: 1000,
  quiesce: 2,
  checkTimeout: 120,
  maxRecovery: null,
  campaignId: null,
  progress: true,
  resend: 1,
  hosts: null,
};

/** --etcd-serializable-reads is --db etcd --bug serializable-reads (and refuses another --db or --bug). */
export function etcdSerializable(a: { db?: string; bug?: string; 'etcd-serializable-reads'?: boolean }): { db: string; bug: string | null } {
  if (!a['etcd-serializable-reads']) return { db: a.db ?? DEFAULTS.db, bug: a.bug ?? null };
  if ((a.db !== undefined && a.db !== 'etcd') || (a.bug !== undefined && a.bug !== 'serializable-reads')) {
    throw new UserError('--etcd-serializable-reads means --db etcd --bug serializable-reads; drop the other --db or --bug');
  }
  return { db: 'etcd', bug: 'serializable-reads' };
}

/** Parses "promise-sent,reply-sent" into failpoint names (checked against the system's once it is built). */
export function parseFailpoints(spec: string): string[] {
  return spec.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Parses "kill,pause" / "none" / "all" into fault kinds. */
export function parseNemesis(spec: string | readonly string[]): FaultKind[] {
  const parts = (Array.isArray(spec) ? spec : [spec]).flatMap((s: string) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'none')) return [];
  if (parts.length === 1 && parts[0] === 'all') return [...ALL_FAULTS];
  for (const p of parts) {
    if (!(FAULT_KINDS as readonly string[]).includes(p)) {
      throw new UserError(`unknown --nemesis fault ${JSON.stringify(p)} (choose from ${FAULT_KINDS.join(', ')}, all, or none)`);
    }
  }
  return [...new Set(parts)] as FaultKind[];
}

function positiveInt(name: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min) throw new UserError(`--${name} must be an integer ≥ ${min}, got ${v}`);
}

function positive(name: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0)) throw new UserError(`--${name} must be a positive number, got ${v}`);
}

/** Fills defaults and rejects nonsense with a UserError naming the flag. */
export function resolveSettings(partial: Partial<TestSettings>): TestSettings {
  // A built-in system's bug brings the faults and load that catch it, unless the user set them.
  const bug = partial.bug ? builtinSystem(partial.db ?? DEFAULTS.db)?.bugs.find((b) => b.name === partial.bug) : undefined;
  const c = bug?.catchWith;
  const catching: Partial<TestSettings> = c
    ? { nemesis: c.nemesis, ...(c.concurrency ? { concurrency: c.concurrency } : {}), ...(c.rate ? { rate: c.rate } : {}), ...(c.maxRecovery ? { maxRecovery: c.maxRecovery } : {}), ...(c.nemesisInterval ? { nemesisInterval: c.nemesisInterval } : {}), ...(c.opTimeoutMs ? { opTimeoutMs: c.opTimeoutMs } : {}), ...(c.failpoints ? { failpoints: [...c.failpoints] } : {}) }
    : {};
  const s: TestSettings = { ...DEFAULTS, ...catching, seed: randomSeed(), ...stripUndefined(partial) };
  if (!(WORKLOAD_NAMES as readonly string[]).includes(s.workload)) {
    throw new UserError(`unknown --workload ${JSON.stringify(s.workload)} (choose from ${WORKLOAD_NAMES.join(', ')})`);
  }
  // A built-in system is checked now; a module once it is loaded (runTest).
  if (typeof s.db !== 'string' || s.db === '') throw new UserError('--db must name a system');
  const system = builtinSystem(s.db);
  if (!Array.isArray(s.dbOptions) || !s.dbOptions.every((o) => typeof o === 'string')) throw new UserError('--db-option must name switches of the system');
  s.dbOptions = [...new Set(s.dbOptions)];
  if (!system && !isModulePath(s.db)) throw new UserError(`unknown --db ${JSON.stringify(s.db)} (choose from ${describeDbChoices()})`);
  const unsuited = system && settingsProblem(system, s);
  if (unsuited) throw new UserError(unsuited);
  if (s.net !== 'proxy' && s.net !== 'netns') throw new UserError(`unknown --net ${JSON.stringify(s.net)} (choose proxy or netns)`);
  if (s.net === 'netns') {
    const why = netnsUnavailable();
    if (why) throw new UserError(`--net netns cannot be used here: ${why}; the default --net proxy needs no privileges`);
  }
  if (s.hosts) {
    const count = resolveHosts(s.hosts).targets.length;
    if (partial.nodes !== undefined && partial.nodes !== count) throw new UserError(`--nodes ${partial.nodes} with ${count} host${count === 1 ? '' : 's'}: one node runs on each host (leave out --nodes)`);
    s.nodes = count;
    if (s.net === 'netns') throw new UserError('--net netns makes namespaces on this machine; with --hosts, partitions are packet filters on the hosts');
  }
  positiveInt('nodes', s.nodes);
  positiveInt('concurrency', s.concurrency);
  positiveInt('keys', s.keys);
  positive('rate', s.rate);
  positive('time-limit', s.timeLimit);
  positive('nemesis-interval', s.nemesisInterval);
  if (!Array.isArray(s.failpoints) || !s.failpoints.every((p) => typeof p === 'string' && /^[a-z0-9][a-z0-9_-]*$/.test(p))) {
    throw new UserError('--failpoints must name failpoints of the system, separated by commas (e.g. promise-sent,reply-sent)');
  }
  s.failpoints = [...new Set(s.failpoints)];
  if (s.failpoints.length > 0 && !s.nemesis.includes('failpoint')) throw new UserError('--failpoints aims --nemesis failpoint, which this run does not have: add failpoint to --nemesis');
  positive('op-timeout', s.opTimeoutMs);
  positive('check-timeout', s.checkTimeout);
  if (s.maxRecovery !== null) positive('max-recovery', s.maxRecovery);
  if (!(s.quiesce >= 0)) throw new UserError(`--quiesce must be ≥ 0, got ${s.quiesce}`);
  positiveInt('seed', s.seed, 0);
  positiveInt('resend', s.resend, 0);
  if (s.nemesis.includes('partition') && s.nodes < 2) throw new UserError('--nemesis partition needs at least 2 nodes');
  const tooShort = scheduleProblem(s.nemesis, s.nemesisInterval, s.timeLimit);
  if (tooShort) throw new UserError(tooShort);
  if (!s.name) s.name = s.bug ? `${s.workload}-${s.bug}` : s.workload;
  if (!/^[A-Za-z0-9._-]+$/.test(s.name)) throw new UserError(`--name may hold letters, digits, '.', '_' and '-' only, got ${JSON.stringify(s.name)}`);
  return s;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** The command line that runs this test again with the same settings and seed. */
export function rerunCommand(s: TestSettings): string {
  const args = [
    'npx tenrec test',
    `--workload ${s.workload}`,
    ...(s.hosts ? [] : [`--nodes ${s.nodes}`]),
    `--concurrency ${s.concurrency}`,
    `--rate ${s.rate}`,
    `--keys ${s.keys}`,
    `--time-limit ${s.timeLimit}`,
    `--nemesis ${s.nemesis.length ? s.nemesis.join(',') : 'none'}`,
    `--nemesis-interval ${s.nemesisInterval}`,
    ...(s.failpoints.length ? [`--failpoints ${s.failpoints.join(',')}`] : []),
    `--seed ${s.seed}`,
    ...(s.bug ? [`--bug ${s.bug}`] : []),
    `--db ${shellQuote(s.db)}`,
    ...s.dbOptions.map((o) => `--db-option ${shellQuote(o)}`),
    ...(s.net === 'netns' ? ['--net netns'] : []),
    `--name ${s.name}`,
    `--op-timeout ${s.opTimeoutMs}`,
    `--quiesce ${s.quiesce}`,
    `--resend ${s.resend}`,
    ...(s.maxRecovery !== null ? [`--max-recovery ${s.maxRecovery}`] : []),
    ...(s.check ? [] : ['--no-check']),
    ...(s.hosts ? hostsFlags(s.hosts).map(shellQuote) : []),
    `--results-dir ${shellQuote(s.resultsDir)}`,
  ];
  return args.join(' ');
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9._,\/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
