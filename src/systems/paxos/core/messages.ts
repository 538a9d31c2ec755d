// The peer protocol. Every message carries plain JSON so drivers can serialise it as is.
import type { Ballot } from './ballot.ts';
import type { SlotValue, SnapshotData } from './log.ts';
import type { ClientRequest, ClientResult } from '../protocol.ts';

/** [slot, ballot it was accepted in, value] */
export type AcceptedEntry = [number, Ballot, SlotValue];

export type Message =
  /** Phase 1a for every slot ≥ from. */
  | { type: 'prepare'; ballot: Ballot; from: number }
  /** Phase 1b. `snapshot` is attached when the acceptor has compacted slots ≥ from. */
  | { type: 'promise'; ballot: Ballot; accepted: AcceptedEntry[]; snapshot?: SnapshotData }
  /** Phase 2a; `commit` piggybacks the leader's commit index. */
  | { type: 'accept'; ballot: Ballot; slot: number; value: SlotValue; commit: number }
  /** Phase 2b. */
  | { type: 'accepted'; ballot: Ballot; slot: number }
  /** The sender has promised a higher ballot. */
  | { type: 'nack'; ballot: Ballot; promised: Ballot }
  /** Leader liveness and commit index; `seq` is echoed back to confirm leadership for reads. */
  | { type: 'heartbeat'; ballot: Ballot; commit: number; seq: number }
  /** `commit`: the follower's commit index (how far a joining learner has caught up). */
  | { type: 'heartbeat-ack'; ballot: Ballot; seq: number; commit: number }
  /** A leader the log removed hands over: the receiver stands at once rather than after a timeout. */
  | { type: 'campaign-now'; ballot: Ballot }
  /** Catch-up: a lagging replica asks for chosen values from slot `from`. */
  | { type: 'fetch'; from: number }
  | { type: 'entries'; entries: [number, SlotValue][]; snapshot?: SnapshotData }
  /** A non-leader passes a client request on; the leader answers with `forward-reply`. */
  | { type: 'forward'; request: ClientRequest }
  | { type: 'forward-reply'; id: string; result: ClientResult };

export type MessageType = Message['type'];
