// The proposer once it won phase 1: recovery of open slots, phase 2 with a pipeline of slots in
// flight, batching of queued commands, commit pushes, retransmission and check-quorum.
// Membership changes (membership.ts) reach the log through here: a configuration slot is a
// barrier, nothing after it is proposed until it is chosen and applied.
import type { NodeId } from '../protocol.ts';
import { ballotEquals, compareBallots, type Ballot } from './ballot.ts';
import { accept, noteRound } from './acceptor.ts';
import { majority, type MemberChange } from './configuration.ts';
import type { Ctx, Leadership } from './context.ts';
import { applyChosen, learn } from './learner.ts';
import { NOOP, type SlotValue } from './log.ts';
import { admitChange, changeWaitsForDrain, nextStep, successor } from './membership.ts';
import type { Message } from './messages.ts';
import { bestAccepted } from './phase1.ts';
import { ReadIndex } from './read-index.ts';
import { holdsLease, leaseAck, leaseRoundSent, newLeaderLease, voidLease } from './lease.ts';
import { installSnapshot } from './snapshot.ts';
import type { LoggedCommand } from './state-machine.ts';

/**
 * Phase 1 succeeded. For every slot after our commit index up to the highest slot any promise
 * mentions: re-propose the highest-ballot accepted value, or a no-op if none. Then a no-op of
 * our own; reads wait until it is chosen (read-before-noop skips that wait).
 */
export function becomeLeader(ctx: Ctx, ballot: Ballot, promises: Extract<Message, { type: 'promise' }>[], ownPromiseIn: number): void {
  for (const p of promises) if (p.snapshot) installSnapshot(ctx, p.snapshot);
  const { best, maxSlot } = ctx.has('leader-skips-recovery') ? { best: new Map(), maxSlot: ctx.log.commitIndex } : bestAccepted(ctx, promises);
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
    held: [],
    barrier: 0,
    change: null,
    progress: new Map(),
    adopted: null,
    lease: newLeaderLease(),
  };
  for (const p of ctx.peers) l.lastHeard.set(p, ctx.now);
  ctx.role = 'leader';
  ctx.leader = ctx.id;
  ctx.leaderBallot = ballot;
  ctx.candidacy = null;
  ctx.leadership = l;
  for (let slot = ctx.log.commitIndex + 1; slot <= maxSlot; slot++) {
    const chosen = ctx.log.chosen.get(slot);
    // A chosen slot needs no proposal, but a chosen configuration still holds back what follows.
    if (chosen?.kind === 'config') l.held.push([slot, chosen]);
    else if (chosen === undefined) l.held.push([slot, best.get(slot)?.value ?? NOOP]);
  }
  l.nextSlot = maxSlot + 1;
  l.recoveryEnd = l.nextSlot;
  l.held.push([l.nextSlot++, NOOP]);
  proposeHeld(ctx, l);
  sendHeartbeats(ctx, l);
}

/** Recovered slots, in order, up to and including the next configuration slot. */
function proposeHeld(ctx: Ctx, l: Leadership): void {
  while (l.held.length > 0 && !behindBarrier(ctx, l)) {
    const [slot, value] = l.held.shift()!;
    if (!ctx.log.isChosen(slot)) propose(ctx, l, slot, value);
    else if (value.kind === 'config') l.barrier = slot;
  }
}

/** A configuration slot is not applied yet: which quorum decides later slots is not known. */
function behindBarrier(ctx: Ctx, l: Leadership): boolean {
  if (l.barrier > ctx.log.appliedIndex) return true;
  l.barrier = 0;
  return false;
}

/** Who decides the slots we propose now (and our leadership, and our reads). */
function voting(ctx: Ctx, l: Leadership): { voters: ReadonlySet<NodeId>; quorum: number } {
  const a = l.adopted;
  if (a) return { voters: new Set(a.voters), quorum: majority(a) };
  return { voters: ctx.voterSet, quorum: ctx.quorum };
}

function propose(ctx: Ctx, l: Leadership, slot: number, value: SlotValue): void {
  if (value.kind === 'config') {
    // The bug puts the configuration in force the moment it is proposed.
    if (ctx.has('config-before-chosen')) l.adopted = { voters: value.voters, learners: value.learners };
    else l.barrier = slot;
  }
  const { voters, quorum } = voting(ctx, l);
  // Our own vote waits for our accept record to be durable, like anyone else's: then "chosen"
  // always means a quorum has it on disk, and answers built on chosen values need no fsync of ours.
  const p = { value, voters, quorum, votes: new Set<NodeId>(), sentAt: ctx.now, ownVoteIn: accept(ctx, l.ballot, slot, value) ? ctx.out.seq : null };
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
  for (const p of followers(ctx, l)) toFollower(ctx, l, p, m);
}

function followers(ctx: Ctx, l: Leadership): readonly NodeId[] {
  if (!l.adopted) return ctx.peers;
  const all = new Set([...ctx.peers, ...l.adopted.voters, ...l.adopted.learners]);
  all.delete(ctx.id);
  return [...all];
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
    if (p.voters.has(ctx.id)) p.votes.add(ctx.id);
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
  if (l.held.length > 0 || behindBarrier(ctx, l) || changeWaitsForDrain(ctx, l)) return;
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
  if (!p || !p.voters.has(from)) return;
  p.votes.add(from);
  checkChosen(ctx, l, m.slot);
}

function checkChosen(ctx: Ctx, l: Leadership, slot: number): void {
  const p = l.proposals.get(slot);
  if (!p || p.votes.size < p.quorum) return;
  l.proposals.delete(slot);
  const before = ctx.log.commitIndex;
  const configBefore = ctx.config;
  learn(ctx, slot, p.value);
  applyChosen(ctx);
  if (ctx.leadership !== l) return;
  if (ctx.config !== configBefore) {
    voidLease(l);
    if (handOverIfRemoved(ctx, l)) return;
  }
  proposeHeld(ctx, l);
  driveChange(ctx, l);
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

/** A nack for our own ballot: true when it says we were preempted (election.ts decides what next). */
export function onNack(ctx: Ctx, m: Extract<Message, { type: 'nack' }>): boolean {
  noteRound(ctx, m.promised.round);
  const mine = ctx.leadership?.ballot ?? ctx.candidacy?.ballot;
  return !!mine && ballotEquals(m.ballot, mine) && compareBallots(m.promised, mine) > 0;
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
  // Under a lease no one else can be leader: what we have chosen is all there is.
  if (!recovering && holdsLease(ctx, l)) {
    l.reads.addConfirmed({ id, via, key, readIndex: ctx.log.commitIndex });
    return;
  }
  l.reads.add({ id, via, key, readIndex: ctx.log.commitIndex }, recovering);
  startReadRound(ctx, l);
}

/** Reads wait and no round is in flight: heartbeats now carry a new round. */
function startReadRound(ctx: Ctx, l: Leadership): void {
  if (!l.reads.wantsRound()) return;
  sendHeartbeats(ctx, l);
  l.reads.startRound(l.hbSeq);
  l.reads.confirmAlone(voting(ctx, l).quorum);
}

/** A membership change request reached us as leader (directly or forwarded). */
export function requestChange(ctx: Ctx, id: string, via: NodeId | null, cmd: MemberChange): void {
  const l = ctx.leadership;
  if (!l) return;
  const refused = admitChange(l, id, via, cmd);
  if (refused) ctx.answer(id, via, refused);
  else driveChange(ctx, l);
}

/** Take the change in progress one step further if it can go now; answer it once it is done. */
function driveChange(ctx: Ctx, l: Leadership): void {
  if (ctx.leadership !== l) return;
  const step = nextStep(ctx, l);
  if (!step) return;
  if ('propose' in step) return propose(ctx, l, l.nextSlot++, step.propose);
  for (const w of l.change!.waiters) ctx.answer(w.id, w.via, step.answer);
  l.change = null;
  pump(ctx, l);
}

/** The log removed us while we lead: answer the change, hand over to the most caught-up voter, stop. */
function handOverIfRemoved(ctx: Ctx, l: Leadership): boolean {
  if (ctx.isVoter) return false;
  driveChange(ctx, l);
  const next = successor(ctx, l);
  if (next !== null) ctx.send(next, { type: 'campaign-now', ballot: l.ballot });
  stepDown(ctx, null);
  return true;
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
  leaseRoundSent(ctx, l, l.hbSeq);
  toFollowers(ctx, l, { type: 'heartbeat', ballot: l.ballot, commit: ctx.log.commitIndex, seq: l.hbSeq });
}

export function onHeartbeatAck(ctx: Ctx, from: NodeId, m: Extract<Message, { type: 'heartbeat-ack' }>): void {
  const l = ctx.leadership;
  if (!l || !ballotEquals(m.ballot, l.ballot)) return;
  l.lastHeard.set(from, ctx.now);
  l.progress.set(from, m.commit);
  const { voters, quorum } = voting(ctx, l);
  leaseAck(ctx, l, from, m.seq, voters, quorum);
  // A learner's ack shows how far it caught up; only voters' acks confirm leadership.
  if (voters.has(from) && l.reads.ack(from, m.seq, quorum)) startReadRound(ctx, l);
  driveChange(ctx, l);
}

/** Periodic leader duties: heartbeats, re-sending unacknowledged phase 2a, check-quorum. */
export function leaderTick(ctx: Ctx, l: Leadership): void {
  // Won while the log no longer counts us (say, re-added on old data): hand over.
  if (handOverIfRemoved(ctx, l)) return;
  const { voters, quorum } = voting(ctx, l);
  let heard = voters.has(ctx.id) ? 1 : 0;
  for (const [peer, t] of l.lastHeard) if (voters.has(peer) && ctx.now - t <= ctx.s.checkQuorumMs) heard++;
  if (heard < quorum) {
    stepDown(ctx, null);
    return;
  }
  if (ctx.now - l.lastHeartbeat >= ctx.s.heartbeatMs) {
    sendHeartbeats(ctx, l);
    for (const [slot, p] of l.proposals) {
      if (ctx.now - p.sentAt < ctx.s.retransmitMs) continue;
      p.sentAt = ctx.now;
      for (const peer of followers(ctx, l)) {
        if (!p.votes.has(peer)) toFollower(ctx, l, peer, { type: 'accept', ballot: l.ballot, slot, value: p.value, commit: ctx.log.commitIndex });
      }
    }
  }
}
