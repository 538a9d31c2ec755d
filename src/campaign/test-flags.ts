// The `tenrec test` flags a campaign passes on to each run (same names as `test`, see
// ../runner/settings.ts rerunCommand), and their mapping onto TestSettings.
import type { Argv } from 'yargs';
import type { TestSettings } from '../runner/settings.ts';
import { etcdSerializable, parseFailpoints, parseNemesis } from '../runner/settings.ts';
import type { WorkloadName } from '../../workloads/index.ts';
import { describeDbChoices } from '../system/load-system.ts';
import { HOST_FLAGS, hostSourceFromFlags, type HostFlagArgs } from '../remote/hosts-file.ts';

export interface TestFlagArgs extends HostFlagArgs {
  workload?: string;
  nodes?: number;
  concurrency?: number;
  rate?: number;
  keys?: number;
  'time-limit'?: number;
  nemesis?: string;
  'nemesis-interval'?: number;
  failpoints?: string;
  seed?: number;
  bug?: string;
  db?: string;
  'db-option'?: string[];
  'etcd-serializable-reads'?: boolean;
  net?: string;
  name?: string;
  'op-timeout'?: number;
  quiesce?: number;
  'check-timeout'?: number;
  'max-recovery'?: number;
  resend?: number;
  check?: boolean;
  'results-dir'?: string;
}

export function withTestFlags<T>(y: Argv<T>): Argv<T & TestFlagArgs> {
  return y
    .option('workload', { type: 'string', describe: 'counter | register | cas-register | set' })
    .option('nodes', { type: 'number', describe: 'cluster size' })
    .option('concurrency', { type: 'number', describe: 'client processes' })
    .option('rate', { type: 'number', describe: 'ops per second overall' })
    .option('keys', { type: 'number', describe: 'registers the workload touches' })
    .option('time-limit', { type: 'number', describe: 'seconds of workload per run' })
    .option('nemesis', { type: 'string', describe: 'faults: kill,pause,partition,power-loss (= all), failpoint, fsync, clock, corrupt, membership | none' })
    .option('nemesis-interval', { type: 'number', describe: 'mean seconds between faults (shrunk so every kind gets a turn)' })
    .option('failpoints', { type: 'string', describe: 'failpoints --nemesis failpoint may aim at, e.g. promise-sent (default: all the system has)' })
    .option('seed', { type: 'number', describe: 'base seed; run i uses a seed derived from it' })
    .option('bug', { type: 'string', describe: 'switch on a bug of the system (see tenrec test --help)' })
    .option('db', { type: 'string', describe: `system under test: ${describeDbChoices()}` })
    .option('db-option', { type: 'string', array: true, describe: 'turn on a switch of the system (see tenrec test --help)' })
    .option('etcd-serializable-reads', { type: 'boolean', describe: 'short for --db etcd --bug serializable-reads' })
    .option('net', { type: 'string', describe: 'partitions by proxy (default) or netns (root: network namespaces and tc filters)' })
    .option('name', { type: 'string', describe: 'test name (results/<name>/…)' })
    .option('op-timeout', { type: 'number', describe: 'client timeout per op, ms' })
    .option('quiesce', { type: 'number', describe: 'seconds to wait after healing, before final reads' })
    .option('check-timeout', { type: 'number', describe: 'seconds the checker may spend per run' })
    .option('max-recovery', { type: 'number', describe: 'fail a run when no op succeeds within this many seconds after a healed fault' })
    .option('resend', { type: 'number', describe: 'resend an op of unknown outcome this many times (same dedup ids)' })
    .option('check', { type: 'boolean', describe: 'check each history (--no-check skips it: verdict unknown)' })
    .option('results-dir', { type: 'string', describe: 'where runs and tenrec.db go (default results)' })
    .options(HOST_FLAGS) as unknown as Argv<T & TestFlagArgs>;
}

export function settingsFromFlags(a: TestFlagArgs): Partial<TestSettings> {
  const s: Partial<TestSettings> = {};
  if (a.workload !== undefined) s.workload = a.workload as WorkloadName;
  if (a.nodes !== undefined) s.nodes = a.nodes;
  if (a.concurrency !== undefined) s.concurrency = a.concurrency;
  if (a.rate !== undefined) s.rate = a.rate;
  if (a.keys !== undefined) s.keys = a.keys;
  if (a['time-limit'] !== undefined) s.timeLimit = a['time-limit'];
  if (a.nemesis !== undefined) s.nemesis = parseNemesis(a.nemesis);
  if (a['nemesis-interval'] !== undefined) s.nemesisInterval = a['nemesis-interval'];
  if (a.failpoints !== undefined) s.failpoints = parseFailpoints(a.failpoints);
  if (a.seed !== undefined) s.seed = a.seed;
  if (a.bug !== undefined) s.bug = a.bug;
  if (a.db !== undefined) s.db = a.db;
  if (a['db-option'] !== undefined) s.dbOptions = a['db-option'];
  if (a['etcd-serializable-reads']) Object.assign(s, etcdSerializable(a));
  if (a.net !== undefined) s.net = a.net as TestSettings['net'];
  if (a.name !== undefined) s.name = a.name;
  if (a['op-timeout'] !== undefined) s.opTimeoutMs = a['op-timeout'];
  if (a.quiesce !== undefined) s.quiesce = a.quiesce;
  if (a['check-timeout'] !== undefined) s.checkTimeout = a['check-timeout'];
  if (a['max-recovery'] !== undefined) s.maxRecovery = a['max-recovery'];
  if (a.resend !== undefined) s.resend = a.resend;
  if (a.check !== undefined) s.check = a.check;
  if (a['results-dir'] !== undefined) s.resultsDir = a['results-dir'];
  const hosts = hostSourceFromFlags(a);
  if (hosts) s.hosts = hosts;
  return s;
}
