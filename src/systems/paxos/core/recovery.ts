// Restart: rebuild the acceptor's promise and accepted values, and the snapshot's state machine,
// from the records the driver read back from its log. Chosen slots are relearned from the leader.
import type { DurableEntry as DurableRecord } from './wire.ts';
import { maxBallot } from './ballot.ts';
import type { Ctx } from './context.ts';

/** Rebuild acceptor and learner state from the durable records, in log order. */
export function recover(ctx: Ctx, records: DurableRecord[]): void {
  for (const r of records) {
    switch (r.type) {
      case 'snapshot': {
        ctx.machine.restore(r.snapshot.machine);
        ctx.log.resetTo(r.snapshot.index);
        ctx.setConfig(r.snapshot.config ?? ctx.initial, r.snapshot.configSlot ?? 0);
        ctx.promised = maxBallot(ctx.promised, r.promised);
        ctx.accepted.clear();
        for (const [slot, ballot, value] of r.accepted) ctx.accepted.set(slot, { ballot, value });
        break;
      }
      case 'promise':
        ctx.promised = maxBallot(ctx.promised, r.ballot);
        break;
      case 'accept':
        ctx.promised = maxBallot(ctx.promised, r.ballot);
        if (r.slot > ctx.log.snapshotIndex) ctx.accepted.set(r.slot, { ballot: r.ballot, value: r.value });
        break;
    }
  }
  ctx.maxRoundSeen = ctx.promised.round;
}
