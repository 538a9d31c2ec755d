// What phase 1 reveals: for every open slot the value accepted in the highest ballot (the only
// one that may have been chosen there), and the configurations those values and the promises'
// snapshots put in force. A candidate needs a quorum of its own configuration and of every one
// revealed, because each may be the configuration that chose a value in a later slot.
import { compareBallots, type Ballot } from './ballot.ts';
import type { Configuration } from './configuration.ts';
import type { Ctx } from './context.ts';
import type { SlotValue } from './log.ts';
import type { Message } from './messages.ts';

type Promise1b = Extract<Message, { type: 'promise' }>;

export interface Found {
  best: Map<number, { ballot: Ballot; value: SlotValue }>;
  /** The highest slot any promise or our own chosen log mentions. */
  maxSlot: number;
}

export function bestAccepted(ctx: Ctx, promises: readonly Promise1b[]): Found {
  const best = new Map<number, { ballot: Ballot; value: SlotValue }>();
  let maxSlot = ctx.log.commitIndex;
  for (const p of promises) {
    for (const [slot, b, value] of p.accepted) {
      if (slot <= ctx.log.commitIndex) continue;
      const cur = best.get(slot);
      if (!cur || compareBallots(b, cur.ballot) > 0) best.set(slot, { ballot: b, value });
      if (slot > maxSlot) maxSlot = slot;
    }
  }
  for (const slot of ctx.log.chosen.keys()) if (slot > maxSlot) maxSlot = slot;
  return { best, maxSlot };
}

/** Configurations that may govern slots ≥ from, in slot order (chosen values win over accepted ones). */
export function configurationsAhead(ctx: Ctx, promises: readonly Promise1b[], from: number): Configuration[] {
  const at: [number, Configuration][] = [];
  for (const p of promises) {
    if (p.snapshot?.config && p.snapshot.index >= from) at.push([p.snapshot.index, p.snapshot.config]);
  }
  const { best } = bestAccepted(ctx, promises);
  for (const [slot, { value }] of best) {
    const v = ctx.log.chosen.get(slot) ?? value;
    if (slot >= from && v.kind === 'config') at.push([slot, v]);
  }
  for (const [slot, v] of ctx.log.chosen) if (slot >= from && v.kind === 'config' && !best.has(slot)) at.push([slot, v]);
  return at.sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}
