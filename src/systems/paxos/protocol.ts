// The words the replica core and every driver share: node ids, bugs, election policies, and
// the client commands and their results. A leaf: it imports nothing.

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
  | 'read-before-noop'
  | 'ignore-fsync-error'
  | 'config-before-chosen'
  | 'dueling-proposers'
  | 'lease-wall-clock';

export const BUG_NAMES: readonly BugName[] = [
  'local-read',
  'leader-skips-recovery',
  'promise-not-persisted',
  'ack-before-fsync',
  'no-dedup',
  'read-before-noop',
  'ignore-fsync-error',
  'config-before-chosen',
  'dueling-proposers',
  'lease-wall-clock',
];

/** A client command on the keyed register state machine. Values are integers. */
export type Command =
  | { op: 'read'; key: string }
  | { op: 'write'; key: string; value: number }
  | { op: 'cas'; key: string; expected: number; new: number }
  | { op: 'inc'; key: string; delta: number };

/** An administrative request: change who votes (answered once the change is chosen). */
export type MemberCommand = { op: 'add-member'; node: NodeId } | { op: 'remove-member'; node: NodeId };

export interface ClientRequest {
  /** Unique per driver (the node process), used only to route the reply back. */
  id: string;
  /** Optional dedup identity: a retried or re-forwarded request with the same pair applies once. */
  clientId?: string;
  requestId?: string;
  command: Command | MemberCommand;
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
  /** A membership change that cannot be made (say, removing the only voter); nothing changed. HTTP 409. */
  | { ok: false; error: 'member-change-refused'; message: string }
  /** The outcome is unknown (e.g. leadership lost mid-flight). HTTP 5xx, recorded as info. */
  | { ok: false; error: 'unknown'; message: string };
