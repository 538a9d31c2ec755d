// The proposer once it won phase 1: recovery of open slots, phase 2 with a pipeline of slots in
// flight, batching of queued commands, commit pushes, retransmission and check-quorum.
import type { NodeId } from '../protocol.ts';
import { ballotEquals, compareBallots, type Ballot } from './ballot.ts';
import { accept } from './acceptor.ts';
import type { Ctx, Leadership } from './context.ts';
import { applyChosen, learn } from './learner.ts';
import { NOOP, type SlotValue } from './log.ts';
import type { Message } from './messages.ts';
import { ReadIndex } from './read-index.ts';
import { installSnapshot } from './snapshot.ts';
import type { LoggedCommand } from './state-machine.ts';

/**
 * Phase 1 succeeded. For every slot after our commit index up to the highest slot any promise
 * mentions: re-propose the highest-ballot accepted value, or a no-op if none. Then a no-op of
 * our own; reads wait until it is chosen (read-before-noop skips that wait).
 */
export function becomeLeader(ctx: Ctx, ballot: Ballot, promises: Extract<Message, { type: 'promise' }>[], ownPromiseIn: number): void {
  for (const p of promises) if (p.snapshot) installSnapshot(ctx, p.snapshot);
  const best = new Map<number, { ballot: Ballot; value: SlotValue }>();
  let maxSlot = ctx.log.commitIndex;
  if (!ctx.has('leader-skips-recovery')) {
    for (const p of promises) {
      for (const [slot, b, value] of p.accepted) {
        if (slot <= ctx.log.commitIndex) continue;
        const cur = best.get(slot);
        if (!cur || compareBallots(b, cur.ballot) > 0) best.set(slot, { ballot: b, value });
        if (slot > maxSlot) maxSlot = slot;
      }
    }
    for (const slot of ctx.log.chosen.keys()) if (slot > maxSlot) maxSlot = slot;
  }
  const l: Leadership = {
    ballot,
    ownPromiseIn,
    nextSlot: ctx.log.commitIndex + 1,
    proposals: new Map(),
    queue: [],
    recoveryEnd: 0,
    lastHeard: new Map(),
    hbSeq: 0,
    reads: new ReadIndex(),
    lastHeartbeat: -Infinity,
  };
  for (const p of ctx.peers) l.lastHeard.set(p, ctx.now);
  ctx.role = 'leader';
  ctx.leader = ctx.id;
  ctx.leaderBallot = ballot;
  ctx.candidacy = null;
  ctx.leadership = l;
  for (let slot = ctx.log.commitIndex + 1; slot <= maxSlot; slot++) {
    if (ctx.log.isChosen(slot)) continue;
    propose(ctx, l, slot, best.get(slot)?.value ?? NOOP);
  }
  l.nextSlot = maxSlot + 1;
  l.recoveryEnd = l.nextSlot;
  propose(ctx, l, l.nextSlot++, NOOP);
  sendHeartbeats(ctx, l);
}

function propose(ctx: Ctx, l: Leadership, slot: number, value: SlotValue): void {
  // Our own vote waits for our accept record to be durable, like anyone else's: then "chosen"
  // always means a quorum has it on disk, and answers built on chosen values need no fsync of ours.
  const p = { value, votes: new Set<NodeId>(), sentAt: ctx.now, ownVoteIn: accept(ctx, l.ballot, slot, value) ? ctx.out.seq : null };
  l.proposals.set(slot, p);
  toFollowers(ctx, l, { type: 'accept', ballot: l.ballot, slot, value, commit: ctx.log.commitIndex });
}

/**
 * Phase 2a and heartbeats state our ballot, a value we propose and a commit index (chosen slots:
 * durable on a quorum). Our own accept of the value need not be on disk first (our vote counts
 * only once it is), but our promise of the ballot must be: a leader that forgot it after a
 * crash could accept a lower ballot's value in a slot it is proposing in. Once the promise is
 * durable, these messages leave without waiting for our fsync, in parallel with it.
 */
function toFollowers(ctx: Ctx, l: Leadership, m: Message): void {
  for (const p of ctx.peers) toFollower(ctx, l, p, m);
}

function toFollower(ctx: Ctx, l: Leadership, peer: NodeId, m: Message): void {
  if (ctx.durableThrough < l.ownPromiseIn) ctx.send(peer, m);
  else ctx.sendUnsynced(peer, m);
}

/** The driver made our records durable through Ready `through`: our own accepts now count. */
export function onDurable(ctx: Ctx, through: number): void {
  ctx.durableThrough = Math.max(ctx.durableThrough, through);
  const l = ctx.leadership;
  if (!l) return;
  for (const [slot, p] of l.proposals) {
    if (p.ownVoteIn === null || p.ownVoteIn > through) continue;
    p.ownVoteIn = null;
    p.votes.add(ctx.id);
    checkChosen(ctx, l, slot);
    if (ctx.leadership !== l) return;
  }
}

/** Queue a client command for the log; proposed at once if the pipeline has room. */
export function submit(ctx: Ctx, cmd: LoggedCommand, via: NodeId | null): void {
  const l = ctx.leadership;
  if (!l) return;
  l.queue.push({ cmd, via });
  pump(ctx, l);
}

function pump(ctx: Ctx, l: Leadership): void {
  while (l.queue.length > 0 && l.proposals.size < ctx.s.maxInflight && ctx.leadership === l) {
    const batch = l.queue.splice(0, ctx.s.maxBatch).map((q) => q.cmd);
    propose(ctx, l, l.nextSlot++, { kind: 'batch', cmds: batch });
  }
}

export function onAccepted(ctx: Ctx, from: NodeId, m: Extract<Message, { type: 'accepted' }>): void {
  const l = ctx.leadership;
  if (!l || !ballotEquals(m.ballot, l.ballot)) return;
  l.lastHeard.set(from, ctx.now);
  const p = l.proposals.get(m.slot);
  if (!p) return;
  p.votes.add(from);
  checkChosen(ctx, l, m.slot);
}

function checkChosen(ctx: Ctx, l: Leadership, slot: number): void {
  const p = l.proposals.get(slot);
  if (!p || p.votes.size < ctx.quorum) return;
  l.proposals.delete(slot);
  const before = ctx.log.commitIndex;
  learn(ctx, slot, p.value);
  applyChosen(ctx);
  if (ctx.leadership !== l) return;
  // Followers learn the new commit index from the next phase 2a or heartbeat, as in most
  // Multi-Paxos and Raft implementations: no message of its own. So a follower may be a
  // heartbeat behind on what is chosen, which is exactly what a new leader's recovery must
  // make up for (and what leader-skips-recovery and read-before-noop get wrong).
  if (ctx.log.commitIndex > before && ctx.log.commitIndex >= l.recoveryEnd) {
    l.reads.unblock(ctx.log.commitIndex);
    startReadRound(ctx, l);
  }
  pump(ctx, l);
}

export function onNack(ctx: Ctx, m: Extract<Message, { type: 'nack' }>): void {
  ctx.maxRoundSeen = Math.max(ctx.maxRoundSeen, m.promised.round);
  const mine = ctx.leadership?.ballot ?? ctx.candidacy?.ballot;
  if (mine && ballotEquals(m.ballot, mine) && compareBallots(m.promised, mine) > 0) stepDown(ctx, null);
}

/**
 * Stop leading (or campaigning). Commands still queued were never proposed: their clients get
 * a definite not-leader. Commands in flight may yet be chosen by the next leader, so they stay
 * pending at their origin and resolve through the log or time out.
 */
export function stepDown(ctx: Ctx, leader: NodeId | null): void {
  const l = ctx.leadership;
  ctx.role = 'follower';
  ctx.leader = leader;
  ctx.candidacy = null;
  ctx.leadership = null;
  ctx.lastLeaderContact = ctx.now;
  ctx.electionDeadline = ctx.now + ctx.randomElectionTimeout();
  if (!l) return;
  for (const q of l.queue) {
    const id = q.cmd.origin?.id;
    if (id !== undefined) ctx.answer(id, q.via, { ok: false, error: 'not-leader', leader });
  }
  // Reads have no effect, so a read we can no longer vouch for is a clean not-leader.
  for (const r of l.reads.drain()) ctx.answer(r.id, r.via, { ok: false, error: 'not-leader', leader });
}

/** A linearizable read at the leader (see read-index.ts). */
export function leaderRead(ctx: Ctx, id: string, via: NodeId | null, key: string): void {
  const l = ctx.leadership;
  if (!l) return;
  if (ctx.has('local-read')) {
    // The bug: our own state, without asking whether we are still leader.
    ctx.answer(id, via, { ok: true, value: ctx.machine.read(key) });
    return;
  }
  // Until a slot of our own ballot is chosen, our commit index may miss values chosen under
  // earlier ballots (etcd #7331). read-before-noop serves anyway.
  const recovering = ctx.log.commitIndex < l.recoveryEnd && !ctx.has('read-before-noop');
  l.reads.add({ id, via, key, readIndex: ctx.log.commitIndex }, recovering);
  startReadRound(ctx, l);
}

/** Reads wait and no round is in flight: heartbeats now carry a new round. */
function startReadRound(ctx: Ctx, l: Leadership): void {
  if (!l.reads.wantsRound()) return;
  sendHeartbeats(ctx, l);
  l.reads.startRound(l.hbSeq);
  l.reads.confirmAlone(ctx.quorum);
}

/** Answers the confirmed reads the state machine has caught up with (the replica's last step). */
export function serveReads(ctx: Ctx): void {
  const l = ctx.leadership;
  if (!l) return;
  for (const r of l.reads.ready(ctx.log.appliedIndex)) ctx.answer(r.id, r.via, { ok: true, value: ctx.machine.read(r.key) });
}

export function sendHeartbeats(ctx: Ctx, l: Leadership): void {
  l.lastHeartbeat = ctx.now;
  l.hbSeq++;
  toFollowers(ctx, l, { type: 'heartbeat', ballot: l.ballot, commit: ctx.log.commitIndex, seq: l.hbSeq });
}

export function onHeartbeatAck(ctx: Ctx, from: NodeId, m: Extract<Message, { type: 'heartbeat-ack' }>): void {
  const l = ctx.leadership;
  if (!l || !ballotEquals(m.ballot, l.ballot)) return;
  l.lastHeard.set(from, ctx.now);
  if (l.reads.ack(from, m.seq, ctx.quorum)) startReadRound(ctx, l);
}

/** Periodic leader duties: heartbeats, re-sending unacknowledged phase 2a, check-quorum. */
export function leaderTick(ctx: Ctx, l: Leadership): void {
  let heard = 1;
  for (const t of l.lastHeard.values()) if (ctx.now - t <= ctx.s.leaderLeaseMs) heard++;
  if (heard < ctx.quorum) {
    stepDown(ctx, null);
    return;
  }
  if (ctx.now - l.lastHeartbeat >= ctx.s.heartbeatMs) {
    sendHeartbeats(ctx, l);
    for (const [slot, p] of l.proposals) {
      if (ctx.now - p.sentAt < ctx.s.retransmitMs) continue;
      p.sentAt = ctx.now;
      for (const peer of ctx.peers) {
        if (!p.votes.has(peer)) toFollower(ctx, l, peer, { type: 'accept', ballot: l.ballot, slot, value: p.value, commit: ctx.log.commitIndex });
      }
    }
  }
}
