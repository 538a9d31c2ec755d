// What a system under test must implement: this file and the two it re-exports (db.ts, the
// DB and its capabilities; client.ts, the client and how outcomes are classified) are the
// whole interface. docs/systems.md walks through it with a worked example
// (examples/primary-backup/system.ts); built-in systems live in src/systems/<name>/.
//
// A system is a DB (setup, teardown, nodes, logs, and the faults it can take) plus a client
// factory (one client per worker and node) plus what it supports: the workloads its client
// can run and its switchable bugs. The runner, the nemesis, campaigns and the report depend
// only on these types.
import type { WorkloadName } from '../../workloads/index.ts';
import type { FaultKind } from './fault-kinds.ts';
import type { ClientFactory } from './client.ts';
import type { DB } from './db.ts';
import type { HostSet } from '../remote/hosts-file.ts';

export type * from './db.ts';
export type * from './client.ts';

/** What the runner hands a system to build its DB for one run. */
export interface DbOptions {
  /** How many nodes the user asked for (`--nodes`). */
  nodes: number;
  /** A fresh directory for this run's data and logs, removed after the run. */
  dir: string;
  /**
   * The run's ownership token: put it in every process's environment as TENREC_CLUSTER_TOKEN
   * (src/process/ownership.ts) so a crashed runner's leftovers can be found and stopped.
   */
  token: string;
  /** The bug switched on (one of `System.bugs`), or null for the correct build. */
  bug: string | null;
  /** How partitions should be made: tenrec's TCP proxy (default) or network namespaces (root). */
  net: 'proxy' | 'netns';
  /** The faults the nemesis will inject, for a DB that must start its nodes ready for one (fsync). */
  faults: readonly FaultKind[];
  /** Switches of `System.options` the user turned on (`--db-option NAME`), already checked. */
  options: readonly string[];
  /**
   * Remote hosts to run the nodes on, one node per host (`--hosts`), given only to a system that
   * declares `hosts: true`; reach them through src/remote/ (Remote, HostNodes, HostFilters).
   */
  hosts?: HostSet;
}

/** What a client factory may want to know about its run. */
export interface ClientRun {
  /** The run's DB, set up: its nodes, or anything else the system's DB offers. */
  db: DB;
  bug: string | null;
}

export interface SwitchableBug {
  name: string;
  /** One line: what it breaks, and which faults catch it. */
  summary: string;
  /**
   * The faults and load that catch it best: `tenrec test --bug NAME` uses them for whatever
   * the user did not set (built-in systems; a module's bugs use tenrec's defaults).
   */
  catchWith?: { nemesis: FaultKind[]; concurrency?: number; rate?: number; maxRecovery?: number; nemesisInterval?: number; opTimeoutMs?: number; failpoints?: string[] };
}

export interface System {
  /** `--db` name (a module's system may use any name; it is what reports show). */
  name: string;
  /** One line for `--help` and reports. */
  summary: string;
  /** Workloads the client can run (workloads/index.ts names); the first is the default. */
  workloads: readonly WorkloadName[];
  bugs: readonly SwitchableBug[];
  /** Switches the user may turn on with `--db-option NAME` (a feature of the system, such as leases). */
  options?: readonly { name: string; summary: string }[];
  /** Builds the DB for one run; nothing may start before `setup()`. */
  db(o: DbOptions): DB;
  /** The run's client factory (called once per run, after the DB is set up). */
  clients(run: ClientRun): ClientFactory;
  /**
   * True when a resend with the same ids (InvokeContext.ids) applies at most once. Only then
   * does tenrec resend an op of unknown outcome (`--resend`); without it a resend could apply
   * an increment twice, an anomaly of the test, not of the system.
   */
  dedup?: boolean;
  /** Its DB can run the nodes on remote hosts (DbOptions.hosts). */
  hosts?: boolean;
  /** Why `--nodes N` does not suit this system, if it does not (a user error before the run). */
  checkNodes?(nodes: number): string | undefined;
}
