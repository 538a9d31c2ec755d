// The system-under-test seam (Jepsen's DB protocol): the runner and the nemesis drive any cluster
// through this interface. The built-in Paxos cluster is one implementation (paxos-db.ts).

export interface DbNode {
  id: string;
  /** Base URL of the node's client API, e.g. http://127.0.0.1:4001 */
  url: string;
}

/** Network faults between nodes, for partitions. Directed: `drops(from, to)` drops from's messages to to. */
export interface NetFaults {
  blackhole(drops: (from: string, to: string) => boolean): void;
  /** Undo every network fault. */
  heal(): void;
}

export interface DB {
  /** Starts a fresh cluster (wiping any previous data) and waits until it serves. */
  setup(): Promise<void>;
  nodes(): DbNode[];
  /** SIGKILL: the process dies at once, losing anything not fsynced. */
  kill(id: string): Promise<void>;
  /** SIGSTOP / SIGCONT. */
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Starts a killed node again on its data (no-op for a running node). */
  restart(id: string): Promise<void>;
  /** Who the cluster says leads now (best effort; null when nobody answers). */
  leader(): Promise<string | null>;
  net?: NetFaults;
  /** Pids of every process the DB started and that is still alive, for leak checks. */
  pids(): number[];
  /** Each node's log file, to copy into the run directory. */
  logFiles(): { id: string; path: string }[];
  /** Stops every process, even paused ones; never throws for an already-dead node. */
  teardown(): Promise<void>;
}
