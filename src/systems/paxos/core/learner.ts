// The learner: turns commit information into chosen slots, applies them in order, answers the
// clients waiting here, and catches up (entries or a snapshot) when it missed slots.
import type { NodeId } from '../protocol.ts';
import { ballotEquals, type Ballot } from './ballot.ts';
import type { Ctx } from './context.ts';
import type { SlotValue } from './log.ts';
import type { Message } from './messages.ts';
import { installSnapshot, maybeSnapshot, snapshotData } from './snapshot.ts';

export function learn(ctx: Ctx, slot: number, value: SlotValue): void {
  if (!ctx.log.learn(slot, value)) return;
  ctx.learnedTrail?.push([slot, value]);
}

/**
 * Apply every chosen slot in order. Clients whose commands arrived here get their answer; as
 * leader, we also answer the commands other nodes forwarded (followers learn the commit index
 * only with the next 2a or heartbeat, and their clients should not wait for it). An answer for
 * a request the origin no longer holds (answered, timed out, or from its previous life) is
 * dropped there.
 */
export function applyChosen(ctx: Ctx): void {
  const { log } = ctx;
  while (log.appliedIndex < log.commitIndex) {
    const slot = log.appliedIndex + 1;
    const value = log.chosen.get(slot);
    if (value === undefined) break; // cannot happen: commitIndex covers only known slots
    if (value.kind === 'batch') {
      for (const cmd of value.cmds) {
        const result = ctx.machine.apply(cmd);
        if (!cmd.origin) continue;
        if (cmd.origin.node === ctx.id) ctx.reply(cmd.origin.id, result);
        else if (ctx.leadership) ctx.sendUnsynced(cmd.origin.node, { type: 'forward-reply', id: cmd.origin.id, result });
      }
    } else if (value.kind === 'config') {
      ctx.setConfig({ voters: value.voters, learners: value.learners }, slot);
    }
    log.appliedIndex = slot;
  }
  maybeSnapshot(ctx);
}

/**
 * The leader of `ballot` says every slot ≤ commit is chosen. A slot we accepted in that same
 * ballot holds the one value that leader proposed there, so it is the chosen one; anything else
 * we must fetch.
 */
export function onCommitInfo(ctx: Ctx, from: NodeId, ballot: Ballot, commit: number): void {
  const { log } = ctx;
  let slot = log.commitIndex + 1;
  while (slot <= commit) {
    if (!log.chosen.has(slot)) {
      const a = ctx.accepted.get(slot);
      if (!a || !ballotEquals(a.ballot, ballot)) break;
      learn(ctx, slot, a.value);
    }
    slot = log.commitIndex + 1;
  }
  applyChosen(ctx);
  if (log.commitIndex < commit) requestCatchUp(ctx, from);
}

function requestCatchUp(ctx: Ctx, from: NodeId): void {
  if (ctx.now - ctx.lastFetch < ctx.s.heartbeatMs) return;
  ctx.lastFetch = ctx.now;
  ctx.send(from, { type: 'fetch', from: ctx.log.commitIndex + 1 });
}

export function onFetch(ctx: Ctx, from: NodeId, m: Extract<Message, { type: 'fetch' }>): void {
  const { log } = ctx;
  const reply: Extract<Message, { type: 'entries' }> = { type: 'entries', entries: [] };
  let start = m.from;
  if (start <= log.snapshotIndex) {
    reply.snapshot = snapshotData(ctx);
    start = log.appliedIndex + 1;
  }
  for (let slot = start; slot <= log.commitIndex && reply.entries.length < ctx.s.fetchBatch; slot++) {
    const v = log.chosen.get(slot);
    if (v !== undefined) reply.entries.push([slot, v]);
  }
  if (reply.snapshot || reply.entries.length > 0) ctx.send(from, reply);
}

export function onEntries(ctx: Ctx, from: NodeId, m: Extract<Message, { type: 'entries' }>): void {
  if (m.snapshot) installSnapshot(ctx, m.snapshot);
  for (const [slot, value] of m.entries) learn(ctx, slot, value);
  applyChosen(ctx);
  // More to come: ask again right away rather than waiting for the next heartbeat.
  if (m.entries.length >= ctx.s.fetchBatch) {
    ctx.lastFetch = ctx.now;
    ctx.send(from, { type: 'fetch', from: ctx.log.commitIndex + 1 });
  }
}
