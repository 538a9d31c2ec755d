// Linearizable reads without a log entry: the leader notes its commit index as the read index,
// confirms it is still leader with a quorum heartbeat round started after the read arrived, and
// answers once it has applied up to the read index. Reads arriving together share a round.
import type { NodeId } from '../types.ts';
import type { Ctx, Leadership, PendingRead } from './context.ts';
import { sendHeartbeats } from './leader.ts';

export function leaderRead(ctx: Ctx, id: string, via: NodeId | null, key: string): void {
  const l = ctx.leadership;
  if (!l) return;
  if (ctx.has('local-read')) {
    // The bug: our own state, without asking whether we are still leader.
    ctx.answer(id, via, { ok: true, value: ctx.machine.read(key) });
    return;
  }
  const read: PendingRead = { id, via, key, readIndex: ctx.log.commitIndex };
  // Until a slot of our own ballot is chosen, our commit index may miss values chosen under
  // earlier ballots (etcd #7331). read-before-noop serves anyway.
  if (ctx.log.commitIndex < l.recoveryEnd && !ctx.has('read-before-noop')) {
    l.blockedReads.push(read);
    return;
  }
  l.nextRoundReads.push(read);
  startReadRound(ctx, l);
}

/** Recovery finished: blocked reads take the (now complete) commit index as their read index. */
export function unblockReads(ctx: Ctx): void {
  const l = ctx.leadership;
  if (!l || l.blockedReads.length === 0) return;
  for (const r of l.blockedReads) {
    r.readIndex = ctx.log.commitIndex;
    l.nextRoundReads.push(r);
  }
  l.blockedReads = [];
  startReadRound(ctx, l);
}

/** Finish the current round if a quorum confirmed it; start the next one if reads wait. */
export function startReadRound(ctx: Ctx, l: Leadership): void {
  for (;;) {
    if (l.round) {
      if (l.round.acks.size + 1 < ctx.quorum) return;
      l.confirmedReads.push(...l.round.reads);
      l.round = null;
      serveConfirmedReads(ctx);
    }
    if (l.nextRoundReads.length === 0 || ctx.leadership !== l) return;
    const reads = l.nextRoundReads;
    l.nextRoundReads = [];
    sendHeartbeats(ctx, l);
    l.round = { seq: l.hbSeq, acks: new Set(), reads };
  }
}

export function serveConfirmedReads(ctx: Ctx): void {
  const l = ctx.leadership;
  if (!l || l.confirmedReads.length === 0) return;
  const waiting: PendingRead[] = [];
  for (const r of l.confirmedReads) {
    if (r.readIndex <= ctx.log.appliedIndex) ctx.answer(r.id, r.via, { ok: true, value: ctx.machine.read(r.key) });
    else waiting.push(r);
  }
  l.confirmedReads = waiting;
}

/** Reads have no effect, so a read we can no longer vouch for is a clean not-leader. */
export function failReadsOnStepDown(ctx: Ctx, l: Leadership, leader: NodeId | null): void {
  const all = [...l.blockedReads, ...l.nextRoundReads, ...(l.round?.reads ?? []), ...l.confirmedReads];
  for (const r of all) ctx.answer(r.id, r.via, { ok: false, error: 'not-leader', leader });
}
