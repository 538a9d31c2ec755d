// The acceptor: promises and accepts, made durable (via Ready.persist) before any answer leaves.
import type { NodeId } from '../protocol.ts';
import { ballotEquals, compareBallots, type Ballot } from './ballot.ts';
import type { Ctx } from './context.ts';
import type { SlotValue } from './log.ts';
import type { AcceptedEntry, Message } from './messages.ts';
import { snapshotData } from './snapshot.ts';
import { leaseRefusesPrepare } from './lease.ts';

/** A ballot round seen anywhere (a nack, a promise): our next campaign goes above it. */
export function noteRound(ctx: Ctx, round: number): void {
  ctx.maxRoundSeen = Math.max(ctx.maxRoundSeen, round);
}

/** Raise the promise to `ballot`; returns false if a higher one was already promised. */
export function promise(ctx: Ctx, ballot: Ballot): boolean {
  const cmp = compareBallots(ballot, ctx.promised);
  if (cmp < 0) return false;
  if (cmp > 0) {
    ctx.promised = ballot;
    // The bug: the promise lives only in memory, so a restart forgets it.
    if (!ctx.has('promise-not-persisted')) ctx.persist({ type: 'promise', ballot });
  }
  noteRound(ctx, ballot.round);
  return true;
}

/** Everything this acceptor accepted in slots ≥ from (plus the snapshot if it compacted some). */
export function promiseReply(ctx: Ctx, ballot: Ballot, from: number): Extract<Message, { type: 'promise' }> {
  const accepted: AcceptedEntry[] = [];
  for (const [slot, a] of ctx.accepted) if (slot >= from) accepted.push([slot, a.ballot, a.value]);
  const reply: Extract<Message, { type: 'promise' }> = { type: 'promise', ballot, accepted };
  if (ctx.log.snapshotIndex >= from) reply.snapshot = snapshotData(ctx);
  return reply;
}

export function onPrepare(ctx: Ctx, from: NodeId, m: Extract<Message, { type: 'prepare' }>): void {
  // Still following a leader whose lease we back: no answer at all (a nack would send the
  // candidate back to its timer; silence lets it ask again a heartbeat later).
  if (leaseRefusesPrepare(ctx, from)) return;
  // A node our configuration does not count as a voter (one removed, or re-added on its old data
  // and not caught up yet) would only outbid the real leader: refusing a promise is always safe.
  if (!ctx.voterSet.has(from) || !promise(ctx, m.ballot)) {
    ctx.send(from, { type: 'nack', ballot: m.ballot, promised: ctx.promised });
    return;
  }
  ctx.send(from, promiseReply(ctx, m.ballot, m.from));
}

/** Phase 2b on this node; returns whether the value was accepted. */
export function accept(ctx: Ctx, ballot: Ballot, slot: number, value: SlotValue): boolean {
  if (compareBallots(ballot, ctx.promised) < 0) return false;
  if (compareBallots(ballot, ctx.promised) > 0) ctx.promised = ballot; // implied by the accept record
  noteRound(ctx, ballot.round);
  if (slot <= ctx.log.snapshotIndex) return true; // long chosen and compacted: nothing to record
  const prev = ctx.accepted.get(slot);
  if (prev && ballotEquals(prev.ballot, ballot)) return true; // a retransmission
  ctx.accepted.set(slot, { ballot, value });
  ctx.persist({ type: 'accept', slot, ballot, value });
  return true;
}

export function onAccept(ctx: Ctx, from: NodeId, m: Extract<Message, { type: 'accept' }>): boolean {
  if (!accept(ctx, m.ballot, m.slot, m.value)) {
    ctx.send(from, { type: 'nack', ballot: m.ballot, promised: ctx.promised });
    return false;
  }
  ctx.send(from, { type: 'accepted', ballot: m.ballot, slot: m.slot });
  return true;
}
