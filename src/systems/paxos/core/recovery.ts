// Restart: rebuild the acceptor's promise and accepted values, and the snapshot's state machine,
// from the records the driver read back from its log. Chosen slots are relearned from the leader.
import type { DurableRecord } from '../types.ts';
import { maxBallot, type Ballot } from './ballot.ts';
import type { Ctx } from './context.ts';
import type { SlotValue, SnapshotData } from './log.ts';
import type { AcceptedEntry } from './messages.ts';

/** Rebuild acceptor and learner state from the durable records, in log order. */
export function recover(ctx: Ctx, records: DurableRecord[]): void {
  for (const r of records) {
    switch (r.type) {
      case 'snapshot': {
        const snap = r.snapshot as SnapshotData;
        ctx.machine.restore(snap.machine);
        ctx.log.resetTo(snap.index);
        ctx.promised = maxBallot(ctx.promised, r.promised as Ballot);
        ctx.accepted.clear();
        for (const [slot, ballot, value] of r.accepted as AcceptedEntry[]) ctx.accepted.set(slot, { ballot, value });
        break;
      }
      case 'promise':
        ctx.promised = maxBallot(ctx.promised, r.ballot as Ballot);
        break;
      case 'accept': {
        const slot = r.slot as number;
        const ballot = r.ballot as Ballot;
        ctx.promised = maxBallot(ctx.promised, ballot);
        if (slot > ctx.log.snapshotIndex) ctx.accepted.set(slot, { ballot, value: r.value as SlotValue });
        break;
      }
      default:
        throw new Error(`unknown durable record type ${JSON.stringify(r.type)}`);
    }
  }
  ctx.maxRoundSeen = ctx.promised.round;
}
