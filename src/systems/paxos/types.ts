// The contract between the sans-IO replica core (src/systems/paxos/core/…) and whatever drives it:
// the node process (TCP, write-ahead log, HTTP) or the deterministic simulator.
// The core never touches sockets, timers, clocks, randomness or files: all of that arrives
// as Inputs or is injected through ReplicaConfig, and everything it wants done comes back as a Ready.

import type { Message } from './core/messages.ts';
import type { DurableEntry } from './core/wire.ts';

export type NodeId = string; // "n1", "n2", …

export type ElectionPolicy = 'random' | 'bully';
export const ELECTION_POLICIES: readonly ElectionPolicy[] = ['random', 'bully'];

/** A switchable, realistic bug (off by default); see README "Switchable bugs". */
export type BugName =
  | 'local-read'
  | 'leader-skips-recovery'
  | 'promise-not-persisted'
  | 'ack-before-fsync'
  | 'no-dedup'
  | 'read-before-noop';

export const BUG_NAMES: readonly BugName[] = [
  'local-read',
  'leader-skips-recovery',
  'promise-not-persisted',
  'ack-before-fsync',
  'no-dedup',
  'read-before-noop',
];

/** A client command on the keyed register state machine. Values are integers. */
export type Command =
  | { op: 'read'; key: string }
  | { op: 'write'; key: string; value: number }
  | { op: 'cas'; key: string; expected: number; new: number }
  | { op: 'inc'; key: string; delta: number };

export interface ClientRequest {
  /** Unique per driver (the node process), used only to route the reply back. */
  id: string;
  /** Optional dedup identity: a retried or re-forwarded request with the same pair applies once. */
  clientId?: string;
  requestId?: string;
  command: Command;
}

export type ClientResult =
  | { ok: true; value: number }
  /** The compare of a cas did not match; nothing changed. HTTP 409. */
  | { ok: false; error: 'cas-mismatch'; value: number }
  /** The result would leave the safe integer range (±(2^53 - 1)); nothing changed. HTTP 400. */
  | { ok: false; error: 'out-of-range'; value: number }
  /** The (client id, request id) pair was used before for a different command; nothing changed. HTTP 409. */
  | { ok: false; error: 'request-id-reused'; message: string }
  /** This node cannot serve and did not forward; nothing happened. HTTP 503. */
  | { ok: false; error: 'not-leader'; leader: NodeId | null }
  /** The outcome is unknown (e.g. leadership lost mid-flight). HTTP 5xx, recorded as info. */
  | { ok: false; error: 'unknown'; message: string };

/**
 * Peer messages and durable records: plain JSON, which drivers store and send as is. What comes
 * back from the network or the disk is checked by decodeMessage / decodeEntry (core/wire.ts)
 * before the core sees it.
 */
export type PeerMessage = Message;
export type DurableRecord = DurableEntry;

export type Input =
  /** Time passes. `now` is milliseconds on the driver's monotonic clock. */
  | { type: 'tick'; now: number }
  | { type: 'message'; from: NodeId; message: PeerMessage }
  | { type: 'request'; request: ClientRequest }
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
