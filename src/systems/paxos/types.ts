// The contract between the sans-IO replica core (src/systems/paxos/core/…) and whatever drives it:
// the node process (TCP, write-ahead log, HTTP) or the deterministic simulator.
// The core never touches sockets, timers, clocks, randomness or files: all of that arrives
// as Inputs or is injected through ReplicaConfig, and everything it wants done comes back as a Ready.

import type { Message } from './core/messages.ts';
import type { DurableEntry } from './core/wire.ts';
import type { BugName, ClientRequest, ClientResult, ElectionPolicy, NodeId } from './protocol.ts';

export * from './protocol.ts';

/**
 * Peer messages and durable records: plain JSON, which drivers store and send as is. What comes
 * back from the network or the disk is checked by decodeMessage / decodeEntry (core/wire.ts)
 * before the core sees it.
 */
export type PeerMessage = Message;
export type DurableRecord = DurableEntry;

export type Input =
  /**
   * Time passes. `now` is milliseconds on the driver's monotonic clock; `wall` on its wall clock
   * (Date.now(), which clock faults move), read only by bug lease-wall-clock (default: `now`).
   */
  | { type: 'tick'; now: number; wall?: number }
  | { type: 'message'; from: NodeId; message: PeerMessage }
  /**
   * A client request. `now` and `wall`, when given, are the clocks as it arrived: a leader
   * answering from its lease must judge the lease at that moment, not at the last tick.
   */
  | { type: 'request'; request: ClientRequest; now?: number; wall?: number }
  /** Every Ready numbered up to `through` is durable (the driver's fsync completed). */
  | { type: 'durable'; through: number };

/**
 * What the core wants done after one step. The driver must make `persist` durable (append to
 * the write-ahead log and fsync; many Readys may share one fsync: group commit) BEFORE any of
 * `messages` or `replies` leave the node. When `snapshot` is set, the driver first replaces
 * its whole log by that one record (it captures all durable state), then appends `persist`.
 * `unsynced` messages and `replies` are the exception: they vouch for nothing that is not
 * already durable (replies report only values a quorum has durably accepted), so the driver
 * may send them at once, ahead of earlier outputs still waiting for an fsync. Once the records
 * of every Ready up to `seq` are durable, the driver says so with a `durable` input.
 */
export interface Ready {
  /** Numbers the Readys of one core, from 1. */
  seq: number;
  persist: DurableRecord[];
  snapshot?: DurableRecord;
  messages: { to: NodeId; message: PeerMessage }[];
  replies: { id: string; result: ClientResult }[];
  unsynced: { to: NodeId; message: PeerMessage }[];
}

/** The range a replica draws its election timeout from unless told otherwise (ms). */
export const DEFAULT_ELECTION_TIMEOUT_MS: readonly [min: number, max: number] = [150, 300];
/**
 * The lease `--db-option leases` gives, in the real cluster and the simulator alike: the
 * largest default election timeout, so a lease never outlives the wait before a new election.
 */
export const DEFAULT_LEASE_MS = DEFAULT_ELECTION_TIMEOUT_MS[1];

export interface ReplicaConfig {
  id: NodeId;
  /** Every member, including `id`. */
  members: NodeId[];
  bugs?: ReadonlySet<BugName>;
  /** Injected randomness (seeded in the simulator), used only for election timeouts. */
  random: () => number;
  electionTimeoutMs?: [min: number, max: number];
  /**
   * How long a follower waits before standing: `random` (default) draws from electionTimeoutMs;
   * `bully` ranks members by id, highest first, so the highest live member stands first and the
   * next waits one step longer (min + rank × (max - min) / members), never drawn at random.
   */
  election?: ElectionPolicy;
  heartbeatMs?: number;
  /** Snapshot the state machine and compact the log every this many applied slots. */
  snapshotEvery?: number;
  /** Slots the leader keeps in phase 2 at once (default 16); more commands wait and share a slot. */
  maxInflight?: number;
  /** Most client commands batched into one slot (default 256). */
  maxBatch?: number;
  /** A client request with no outcome after this long is answered `unknown` (default 10000 ms). */
  requestTimeoutMs?: number;
  /**
   * Leader leases (lease.ts): a follower that heard the leader promises no one else for this
   * many ms, and the leader answers reads alone while a quorum's promises last. 0 or absent:
   * off (bug lease-wall-clock switches them on, at the largest election timeout).
   */
  leaseMs?: number;
}

export interface ReplicaStatus {
  id: NodeId;
  role: 'leader' | 'candidate' | 'follower';
  leader: NodeId | null;
  ballot: { round: number; node: NodeId };
  commitIndex: number;
  appliedIndex: number;
  [extra: string]: unknown;
}

/** A replica core: create with the records recovered from its log (empty on first start). */
export interface ReplicaCore {
  step(input: Input): Ready;
  status(): ReplicaStatus;
}
