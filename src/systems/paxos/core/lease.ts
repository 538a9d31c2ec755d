// Leader leases ("Paxos Made Live" §5.2, Raft §6.4's lease variant): reads answered by the leader
// alone, with no quorum round, for as long as no other leader can exist.
//
// The promise behind it is the followers'. A follower that hears its leader promises, for
// `leaseMs` from then on its own clock, neither to stand nor to answer anyone else's prepare. So
// while those promises last on a quorum, no other proposer can finish phase 1, and the leader's
// state includes every value chosen so far. The leader counts its lease from the moment it SENT
// the heartbeat round a quorum acknowledged (a follower heard it no earlier), and gives a tenth
// of the lease away for clocks that run at different rates.
//
// Both sides time the lease on the monotonic clock: the wall clock can be stepped (NTP, an
// operator, a VM's resume), and a lease timed by it can outlive the promise behind it. That is
// bug lease-wall-clock, which reads `ctx.wall` instead.
//
// Input times can be stale: a message is handled with the clock of the last tick. A follower's
// promise therefore starts at the first tick after it heard the leader (no earlier than the real
// moment), and holds until then; a leader judges its lease with the time its read arrived.
import type { NodeId } from '../protocol.ts';
import type { Ctx, LeaderLease, Leadership } from './context.ts';

/** Share of the lease the leader gives away for clock drift between it and its followers. */
const DRIFT_MARGIN = 0.1;

export function leasesOn(ctx: Ctx): boolean {
  return ctx.s.leaseMs > 0;
}

/** The clock leases are timed on: monotonic, or (the bug) the wall clock. */
function leaseClock(ctx: Ctx): number {
  return ctx.has('lease-wall-clock') ? ctx.wall : ctx.now;
}

// The follower's side.

/** We heard `leader` (a heartbeat or an accept we took): our promise to it starts over. */
export function grantLease(ctx: Ctx, leader: NodeId): void {
  if (!leasesOn(ctx) || leader === ctx.id) return;
  const at = ctx.leaseGrant?.at ?? -Infinity;
  ctx.leaseGrant = { to: leader, at, fresh: true };
}

/**
 * A node that starts (or restarts) may have promised a leader before it went down, and that
 * promise lived only in memory: a leader may still be answering reads on it. So it first keeps a
 * promise to nobody for a whole lease, from its first tick: it neither stands nor answers anyone's
 * prepare until whatever it granted before the crash has run out ("Paxos Made Live" §5.2 has a
 * restarted replica wait out the lease the same way). Hearing a leader meanwhile is a new grant.
 */
export function bootLease(ctx: Ctx): void {
  if (leasesOn(ctx)) ctx.leaseGrant = { to: ctx.id, at: -Infinity, fresh: true };
}

/** At a tick: a promise heard since the last tick starts now (the tick's time is not stale). */
export function settleLease(ctx: Ctx): void {
  const g = ctx.leaseGrant;
  if (g?.fresh) {
    g.at = leaseClock(ctx);
    g.fresh = false;
  }
}

function promiseHolds(ctx: Ctx): boolean {
  const g = ctx.leaseGrant;
  return !!g && (g.fresh || leaseClock(ctx) < g.at + ctx.s.leaseMs);
}

/** A prepare from `from` must go unanswered: we promised our leader to follow it a while yet. */
export function leaseRefusesPrepare(ctx: Ctx, from: NodeId): boolean {
  return leasesOn(ctx) && from !== ctx.id && promiseHolds(ctx) && ctx.leaseGrant!.to !== from;
}

/** Our election timer may not make us stand while our promise to a leader holds. */
export function leaseDefersCampaign(ctx: Ctx): boolean {
  return leasesOn(ctx) && promiseHolds(ctx);
}

/** Our leader handed over to us (it stepped down): its lease is void, and so is our promise. */
export function releaseLease(ctx: Ctx): void {
  ctx.leaseGrant = null;
}

// The leader's side.

export function newLeaderLease(): LeaderLease {
  return { until: -Infinity, sentAt: new Map(), acked: new Map() };
}

/** Heartbeat round `seq` leaves now. */
export function leaseRoundSent(ctx: Ctx, l: Leadership, seq: number): void {
  if (!leasesOn(ctx)) return;
  l.lease.sentAt.set(seq, leaseClock(ctx));
  // Rounds nobody acknowledges (a cut) must not pile up.
  if (l.lease.sentAt.size > 1024) l.lease.sentAt.delete(l.lease.sentAt.keys().next().value!);
}

/**
 * A voter acknowledged round `seq`. The lease runs from the newest round that, with ourselves,
 * a quorum of `voters` has acknowledged.
 */
export function leaseAck(ctx: Ctx, l: Leadership, from: NodeId, seq: number, voters: ReadonlySet<NodeId>, quorum: number): void {
  if (!leasesOn(ctx)) return;
  const lease = l.lease;
  lease.acked.set(from, Math.max(lease.acked.get(from) ?? 0, seq));
  const need = quorum - (voters.has(ctx.id) ? 1 : 0);
  if (need <= 0) return;
  const seqs = [...lease.acked].filter(([peer]) => voters.has(peer)).map(([, s]) => s).sort((a, b) => b - a);
  if (seqs.length < need) return;
  const round = seqs[need - 1]!;
  const sent = lease.sentAt.get(round);
  if (sent === undefined) return;
  lease.until = Math.max(lease.until, sent + ctx.s.leaseMs * (1 - DRIFT_MARGIN));
  // Older rounds can no longer move the lease forward.
  for (const s of lease.sentAt.keys()) if (s < round) lease.sentAt.delete(s);
}

/** Who votes changed: promises made under the old configuration no longer make a quorum. */
export function voidLease(l: Leadership): void {
  l.lease = newLeaderLease();
}

/** How long our lease still lasts as of the last input (0: none), for the status page. */
export function leaseLeft(ctx: Ctx, l: Leadership): number {
  return Math.max(0, Math.round(l.lease.until - leaseClock(ctx)));
}

/** We may answer a read from our own state now. */
export function holdsLease(ctx: Ctx, l: Leadership): boolean {
  return leasesOn(ctx) && leaseClock(ctx) < l.lease.until;
}
