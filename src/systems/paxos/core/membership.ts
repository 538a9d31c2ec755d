// Membership changes, carried out by the leader one step at a time through the log: adding a
// node makes it a learner first (it catches up from a snapshot and the log while its votes do
// not count), then a voter; removing takes it out. Each step is a configuration slot proposed
// only when everything before it is chosen and applied, and nothing is proposed after it until
// it is: so every slot has exactly one configuration, known to whoever proposes in it, and two
// consecutive configurations differ by one voter (docs/paxos-design.md, "Membership").
// This module decides; the leader (leader.ts) proposes and answers.
import type { ClientResult, NodeId } from '../protocol.ts';
import { stepTowards, type MemberChange } from './configuration.ts';
import type { Ctx, Leadership } from './context.ts';
import type { SlotValue } from './log.ts';

/** Take on a change request; a refusal to answer at once, or null when it is (now) in progress. */
export function admitChange(l: Leadership, id: string, via: NodeId | null, cmd: MemberChange): ClientResult | null {
  const c = l.change;
  if (!c) {
    l.change = { cmd, waiters: [{ id, via }], caughtUp: false };
    return null;
  }
  if (c.cmd.op === cmd.op && c.cmd.node === cmd.node) {
    c.waiters.push({ id, via });
    return null;
  }
  return { ok: false, error: 'member-change-refused', message: `${c.cmd.op} ${c.cmd.node} is in progress; one change at a time` };
}

/** What the change in progress needs now: a configuration to propose, its answer, or nothing yet. */
export function nextStep(ctx: Ctx, l: Leadership): { propose: SlotValue } | { answer: ClientResult } | null {
  const c = l.change;
  if (!c) return null;
  // The bug does not wait for anything before it: not for earlier slots, nor for the last step.
  if (!ctx.has('config-before-chosen') && !quiescent(ctx, l)) return null;
  const step = stepTowards(l.adopted ?? ctx.config, c.cmd);
  if ('refused' in step) return { answer: { ok: false, error: 'member-change-refused', message: step.refused } };
  if ('done' in step) return { answer: { ok: true, value: ctx.configSlot } };
  if (promotes(ctx, l) && !caughtUp(ctx, l)) return null;
  return { propose: { kind: 'config', voters: [...step.next.voters], learners: [...step.next.learners] } };
}

/**
 * The next step can be proposed as soon as what is in flight is chosen: stop proposing client
 * commands meanwhile (they queue), so that moment comes.
 */
export function changeWaitsForDrain(ctx: Ctx, l: Leadership): boolean {
  const c = l.change;
  if (!c || ctx.has('config-before-chosen')) return false;
  if (!('next' in stepTowards(ctx.config, c.cmd))) return true;
  return !promotes(ctx, l) || caughtUp(ctx, l);
}

/** Whom a removed leader hands over to: the voter whose acks showed the highest commit index. */
export function successor(ctx: Ctx, l: Leadership): NodeId | null {
  let best: NodeId | null = null;
  let most = -1;
  for (const v of ctx.config.voters) {
    const p = l.progress.get(v) ?? 0;
    if (v !== ctx.id && p > most) [best, most] = [v, p];
  }
  return best;
}

/** Everything we proposed is chosen and applied, and no configuration slot is pending. */
function quiescent(ctx: Ctx, l: Leadership): boolean {
  return l.proposals.size === 0 && l.held.length === 0 && ctx.log.appliedIndex === l.nextSlot - 1;
}

function promotes(ctx: Ctx, l: Leadership): boolean {
  const c = l.change!;
  return c.cmd.op === 'add-member' && (l.adopted ?? ctx.config).learners.includes(c.cmd.node);
}

/** The learner is within one pipeline of our commit index (its acks say so); then it stays so. */
function caughtUp(ctx: Ctx, l: Leadership): boolean {
  const c = l.change!;
  if (!c.caughtUp) c.caughtUp = c.cmd.node === ctx.id || (l.progress.get(c.cmd.node) ?? -1) >= ctx.log.commitIndex - ctx.s.maxInflight;
  return c.caughtUp;
}
