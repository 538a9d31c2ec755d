// The database seam (Jepsen's DB protocol and its companions): how the runner sets a system up,
// finds its nodes and tears it down, and, through optional capabilities, how the nemesis may
// break it. A DB implements the core and any capabilities it can honour; the runner refuses
// before the run a fault whose capability is missing (see capabilities.ts).

export interface DbNode {
  id: string;
  /** Where a client reaches the node, e.g. http://127.0.0.1:4001 (the system's own format). */
  url: string;
}

export interface LogFile {
  /** Name under the run directory's logs/, e.g. `n1-node.log`. */
  id: string;
  path: string;
}

/** What every system under test must do. */
export interface DbCore {
  /** Starts a fresh cluster (no data from any earlier run) and waits until it serves. */
  setup(): Promise<void>;
  /** Stops every process it started, even paused ones; never throws for an already-dead node. */
  teardown(): Promise<void>;
  nodes(): DbNode[];
  /** Each node's log files, copied into the run directory. */
  logFiles(): LogFile[];
  /** Pids of every local process it ever started (restarts included), for the leak check. */
  startedPids(): number[];
  /** After the nemesis healed everything: wait (best effort) until the system serves again. */
  waitHealthy?(timeoutMs: number): Promise<boolean>;
}

/** Jepsen's Kill: SIGKILL a node (losing whatever it had not made durable) and start it again. */
export interface Kill {
  kill(id: string): Promise<void>;
  /** Starts a killed node again on its data; a no-op for a running node. */
  restart(id: string): Promise<void>;
}

/** Jepsen's Pause: SIGSTOP / SIGCONT. */
export interface Pause {
  pause(id: string): Promise<void>;
  /** A no-op for a node that is not paused. */
  resume(id: string): Promise<void>;
}

/** Jepsen's Primary: who leads now (best effort; null when nobody answers). Lets faults aim. */
export interface Primary {
  leader(): Promise<string | null>;
}

/** Network faults between nodes. Directed: `drops(from, to)` drops from's messages to to. */
export interface NetFaults {
  blackhole(drops: (from: string, to: string) => boolean): void | Promise<void>;
  /** Undo every network fault. */
  heal(): void | Promise<void>;
}

/** A network the nemesis can cut (peer traffic through tenrec's proxy, or namespaces). */
export interface Net {
  net: NetFaults;
}

/**
 * Named failpoints in the system (etcd's gofail, tenrec's node): a fault fired at a chosen moment
 * inside a node (`crash`, or `pause` for ms). The nemesis arms one, and disarms all when it heals.
 */
export interface Failpoints {
  /** The points this system has, e.g. `promise-sent`, `leader-elected`. */
  failpoints(): readonly string[];
  armFailpoint(id: string, point: string, action: FailpointAction): Promise<void>;
  disarmFailpoints(id: string): Promise<void>;
}

/**
 * fsync errors, as a failing disk gives them (tenrec's node does it with Debian's libfiu). From
 * `failSync` on, every fsync of the node fails; a correct node must stop rather than carry on as if
 * its writes were durable. `healSync` ends the errors and makes the failure mean what it means on
 * Linux: pages whose fsync failed may be gone (PostgreSQL's "fsyncgate"), so the node's durable
 * files go back to what they held when the errors began; then the node is started again (killed
 * first, if it carried on).
 */
export interface SyncFaults {
  failSync(id: string): Promise<void>;
  healSync(id: string): Promise<SyncHeal>;
}

export interface SyncHeal {
  /** The node was still running: it did not stop at a failed fsync. */
  carriedOn: boolean;
  /** Its durable files had changed since the errors began, and were put back. */
  rolledBack: boolean;
}

/**
 * What an armed failpoint does when reached: `crash` (die as power loss does; with ms, that long
 * after the point, e.g. a new leader within ms of its election), `pause` (the whole
 * node stops for ms), `delay` (the node's replication messages, for tenrec's node its phase-2
 * accepts and acks, are held back for ms while everything else goes on: a slow disk or a slow
 * link on the path that commits, the window in which a leader not yet caught up must not serve),
 * or `error` (the I/O operation at that point fails, as gofail's `return(err)`: only points that
 * have one take it, and the node must handle the error as it would a real one).
 */
export type FailpointAction = { action: 'crash'; ms?: number } | { action: 'pause'; ms: number } | { action: 'delay'; ms: number } | { action: 'error' };

/**
 * Wall-clock faults (tenrec's node does it with Debian's libfaketime): from now on the node's
 * wall clock (CLOCK_REALTIME, what `Date.now()` reads) runs `offsetMs` away from the real one; 0
 * puts it back. Its monotonic clock stays real, as it does when NTP steps a real machine's clock.
 */
export interface ClockFaults {
  setClockOffset(id: string, offsetMs: number): Promise<void>;
}

/**
 * Disk corruption (Jepsen's file-corruption nemesis): a node's durable files damaged while it is
 * down, then the node started on them. A correct node must never vote on state it cannot trust:
 * it refuses to start (or rebuilds). `restoreDisk` ends the fault: a node that refused gets its
 * files back as they were before the damage, as from a backup taken the moment it stopped, and is
 * started again; one that accepted them keeps running on what it made of them.
 */
export interface DiskFaults {
  corruptDisk(id: string, damage: DiskDamage): Promise<DiskCorruption>;
  restoreDisk(id: string): Promise<{ restored: boolean }>;
}

/**
 * What to do to the file: flip one bit at each of `at` (fractions of its length, in [0, 1)), or
 * cut `bytes` off its end (Jepsen's bitflip and truncate).
 */
export type DiskDamage = { mode: 'bitflip'; at: readonly number[] } | { mode: 'truncate'; bytes: number };

export interface DiskCorruption {
  /** The file damaged, relative to the node's data directory (e.g. `wal.log`), and its size before. */
  file: string;
  size: number;
  /** Byte offsets flipped (bit in brackets), or the bytes cut; in words for the history. */
  detail: string;
  /** What the node said when it refused to start, or null when it started on the damaged files. */
  refused: string | null;
}

/**
 * Membership change (Jepsen's membership nemesis): nodes join and leave the running cluster
 * through the system's own reconfiguration. `nodes()` lists the members at every moment; a node
 * removed is stopped, and may be added again later (on its old data, or fresh: the system's
 * choice, which its docs say).
 */
export interface Membership {
  /** Who votes now, and the nodes that could join. */
  membership(): Promise<{ voters: string[]; spares: string[] }>;
  /** Start the node and add it; resolves once the system says it is a member. */
  addMember(id: string): Promise<void>;
  /** Optionally start a spare ahead of adding it (so a fault can time the add itself). */
  prepareMember?(id: string): Promise<void>;
  /** Remove the node from the cluster, then stop it. */
  removeMember(id: string): Promise<void>;
}

/** A system under test: the core, and whichever capabilities it has. */
export type DB = DbCore & Partial<Kill & Pause & Primary & Net & Failpoints & SyncFaults & ClockFaults & DiskFaults & Membership>;
