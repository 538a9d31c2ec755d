// Linearizable reads without a log entry, as passive data (etcd raft's readOnly): the leader
// notes its commit index as each read's read index, confirms it still leads with a quorum
// heartbeat round started after the read arrived, and answers once it has applied up to the read
// index. Reads arriving together share a round. This class only keeps the reads and says what
// is due; it never sends or answers: the leader starts rounds, the replica serves what is ready.
import type { NodeId } from '../protocol.ts';

export interface PendingRead {
  /** Reply destination: a local request id, or a peer that forwarded it. */
  id: string;
  via: NodeId | null;
  key: string;
  readIndex: number;
}

export class ReadIndex {
  /** Reads waiting for the leader's recovery (its own no-op chosen). */
  private blocked: PendingRead[] = [];
  /** Reads waiting for the next confirmation round. */
  private next: PendingRead[] = [];
  private round: { seq: number; acks: Set<NodeId>; reads: PendingRead[] } | null = null;
  /** Confirmed reads waiting for the state machine to reach their read index. */
  private confirmed: PendingRead[] = [];

  /** A read arrives; `recovering`: the commit index may still miss slots of earlier leaders. */
  add(read: PendingRead, recovering: boolean): void {
    (recovering ? this.blocked : this.next).push(read);
  }

  /** A read the leader's lease vouches for: it waits only for the state machine. */
  addConfirmed(read: PendingRead): void {
    this.confirmed.push(read);
  }

  /** Recovery finished: blocked reads take the (now complete) commit index as their read index. */
  unblock(commitIndex: number): void {
    for (const r of this.blocked) {
      r.readIndex = commitIndex;
      this.next.push(r);
    }
    this.blocked = [];
  }

  /** Reads wait for a round and none is in flight: the leader should start one. */
  wantsRound(): boolean {
    return this.round === null && this.next.length > 0;
  }

  /** The leader sent heartbeats numbered `seq`: the waiting reads ride on them. */
  startRound(seq: number): void {
    this.round = { seq, acks: new Set(), reads: this.next };
    this.next = [];
  }

  /** A follower acknowledged heartbeat `seq`; true when that confirmed the round (with ourselves, a quorum). */
  ack(from: NodeId, seq: number, quorum: number): boolean {
    const r = this.round;
    if (!r || seq < r.seq) return false;
    r.acks.add(from);
    if (r.acks.size + 1 < quorum) return false;
    this.confirmed.push(...r.reads);
    this.round = null;
    return true;
  }

  /** A one-node cluster confirms every round at once. */
  confirmAlone(quorum: number): void {
    if (this.round && quorum <= 1) {
      this.confirmed.push(...this.round.reads);
      this.round = null;
    }
  }

  /** Confirmed reads whose read index is applied, removed from here: answer them now. */
  ready(appliedIndex: number): PendingRead[] {
    if (this.confirmed.length === 0) return [];
    const due = this.confirmed.filter((r) => r.readIndex <= appliedIndex);
    if (due.length) this.confirmed = this.confirmed.filter((r) => r.readIndex > appliedIndex);
    return due;
  }

  /** Every read held, removed: the leader stepped down and can vouch for none of them. */
  drain(): PendingRead[] {
    const all = [...this.blocked, ...this.next, ...(this.round?.reads ?? []), ...this.confirmed];
    this.blocked = [];
    this.next = [];
    this.round = null;
    this.confirmed = [];
    return all;
  }
}
