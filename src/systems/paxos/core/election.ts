// Who leads. A follower that hears no leader for an election timeout runs phase 1 for every slot
// from its first unchosen one. A proposer that meets a higher ballot backs off for a fresh
// timeout instead of bumping its round again at once, so proposers do not duel. The timeout is
// random, or (bully) fixed by rank: the highest live id stands first, the next one step later.
// Leadership moves only on failure: a live leader's heartbeats keep resetting every timer.
import type { NodeId } from '../protocol.ts';
import { ballotEquals, compareBallots, type Ballot } from './ballot.ts';
import { promise, promiseReply } from './acceptor.ts';
import { majority, everyone, type Configuration } from './configuration.ts';
import type { Candidacy, Ctx } from './context.ts';
import { becomeLeader, leaderTick, stepDown } from './leader.ts';
import type { Message } from './messages.ts';
import { configurationsAhead } from './phase1.ts';
import { grantLease, leaseDefersCampaign } from './lease.ts';

export function electionTick(ctx: Ctx): void {
  if (!ctx.started) {
    ctx.started = true;
    ctx.lastLeaderContact = ctx.now;
    ctx.electionDeadline = ctx.now + ctx.randomElectionTimeout();
  }
  if (ctx.leadership) {
    leaderTick(ctx, ctx.leadership);
    return;
  }
  const c = ctx.candidacy;
  // Only a voter stands; one the log has just removed gives up its candidacy.
  if (!ctx.isVoter) {
    if (c) stepDown(ctx, null);
    return;
  }
  if (c) {
    if (ctx.now >= c.deadline) campaign(ctx);
    else if (ctx.now - c.lastSent >= ctx.s.heartbeatMs) {
      c.lastSent = ctx.now;
      for (const p of c.asked) if (!c.promises.has(p)) ctx.send(p, { type: 'prepare', ballot: c.ballot, from: c.from });
    }
    return;
  }
  if (ctx.now >= ctx.electionDeadline && !leaseDefersCampaign(ctx)) campaign(ctx);
}

export function campaign(ctx: Ctx): void {
  ctx.campaigns++;
  const round = Math.max(ctx.maxRoundSeen, ctx.promised.round) + 1;
  const ballot: Ballot = { round, node: ctx.id };
  promise(ctx, ballot);
  const from = ctx.log.commitIndex + 1;
  ctx.role = 'candidate';
  ctx.leader = null;
  ctx.leadership = null;
  ctx.candidacy = {
    ballot,
    from,
    promises: new Map([[ctx.id, promiseReply(ctx, ballot, from)]]),
    asked: [...ctx.peers],
    deadline: ctx.now + ctx.randomElectionTimeout(),
    lastSent: ctx.now,
    ownPromiseIn: ctx.out.seq,
  };
  ctx.broadcast({ type: 'prepare', ballot, from });
  maybeWin(ctx);
}

export function onPromise(ctx: Ctx, from: NodeId, m: Extract<Message, { type: 'promise' }>): void {
  const c = ctx.candidacy;
  if (!c || !ballotEquals(m.ballot, c.ballot)) return;
  c.promises.set(from, m);
  maybeWin(ctx);
}

function promisedBy(c: Candidacy, config: Configuration): boolean {
  let n = 0;
  for (const v of config.voters) if (c.promises.has(v)) n++;
  return n >= majority(config);
}

function maybeWin(ctx: Ctx): void {
  const c = ctx.candidacy;
  if (!c || !promisedBy(c, ctx.config)) return;
  // Configurations our promises reveal for open slots need their own quorum: ask their members too.
  for (const config of configurationsAhead(ctx, [...c.promises.values()], c.from)) {
    for (const m of everyone(config)) {
      if (m === ctx.id || c.asked.includes(m)) continue;
      c.asked.push(m);
      ctx.send(m, { type: 'prepare', ballot: c.ballot, from: c.from });
    }
    if (!promisedBy(c, config)) return;
  }
  // We may have promised a higher ballot to someone else meanwhile: then this one is void.
  if (!ballotEquals(ctx.promised, c.ballot)) {
    stepDown(ctx, null);
    return;
  }
  becomeLeader(ctx, c.ballot, [...c.promises.values()], c.ownPromiseIn);
}

/** We promised someone else's higher ballot: stop leading or campaigning, and give them time. */
export function yieldTo(ctx: Ctx, ballot: Ballot): void {
  const mine = ctx.leadership?.ballot ?? ctx.candidacy?.ballot;
  if (mine && compareBallots(ballot, mine) > 0) preempted(ctx, null);
  ctx.electionDeadline = ctx.now + ctx.randomElectionTimeout();
}

/**
 * Someone outbid our ballot (a prepare, a nack, a leader's message): back off for a fresh
 * timeout. The bug outbids at once instead, so two such proposers preempt each other for as long
 * as both live.
 */
export function preempted(ctx: Ctx, leader: NodeId | null): void {
  if (ctx.has('dueling-proposers')) campaign(ctx);
  else stepDown(ctx, leader);
}

/** A message from the leader of `ballot` (already checked ≥ our promise). */
export function noteLeader(ctx: Ctx, from: NodeId, ballot: Ballot): void {
  const mine = ctx.leadership?.ballot ?? ctx.candidacy?.ballot;
  if (mine && compareBallots(ballot, mine) > 0) {
    preempted(ctx, from);
    if (ctx.candidacy) return; // the bug stood again at once
  }
  if (ctx.leadership) return;
  grantLease(ctx, from);
  ctx.leader = from;
  ctx.leaderBallot = ballot;
  ctx.lastLeaderContact = ctx.now;
  ctx.electionDeadline = ctx.now + ctx.randomElectionTimeout();
}
