// Snapshots: the state machine + dedup table as of an applied slot. Taking one compacts the log
// (Ready.snapshot replaces the whole durable log); a replica too far behind is sent one.
import type { DurableEntry as DurableRecord } from './wire.ts';
import { compareBallots, type Ballot } from './ballot.ts';
import type { Ctx } from './context.ts';
import type { SnapshotData } from './log.ts';
import type { AcceptedEntry } from './messages.ts';

export function snapshotData(ctx: Ctx): SnapshotData {
  return { index: ctx.log.appliedIndex, machine: ctx.machine.snapshot(), config: ctx.config, configSlot: ctx.configSlot };
}

/** The one record that captures all durable state: promise, snapshot, accepted values beyond it. */
export function snapshotRecord(ctx: Ctx): DurableRecord {
  const data = snapshotData(ctx);
  const accepted: AcceptedEntry[] = [];
  for (const [slot, a] of ctx.accepted) if (slot > data.index) accepted.push([slot, a.ballot, a.value]);
  // With the promise-not-persisted bug only accept records ever carried a ballot to disk.
  let promised: Ballot = ctx.promised;
  if (ctx.has('promise-not-persisted')) {
    promised = { round: 0, node: '' };
    for (const [, b] of accepted) if (compareBallots(b, promised) > 0) promised = b;
  }
  return { type: 'snapshot', snapshot: data, promised, accepted };
}

/** Compact when enough slots were applied since the last snapshot. */
export function maybeSnapshot(ctx: Ctx): void {
  const { log } = ctx;
  if (log.appliedIndex - log.snapshotIndex < ctx.s.snapshotEvery) return;
  compactTo(ctx, log.appliedIndex);
  ctx.out.snapshot = snapshotRecord(ctx);
}

function compactTo(ctx: Ctx, index: number): void {
  ctx.log.compact(index);
  for (const slot of ctx.accepted.keys()) if (slot <= index) ctx.accepted.delete(slot);
}

/** Install a snapshot from a peer if it is ahead of what we have applied. */
export function installSnapshot(ctx: Ctx, snap: SnapshotData): boolean {
  if (snap.index <= ctx.log.appliedIndex) return false;
  ctx.machine.restore(snap.machine);
  ctx.log.resetTo(snap.index);
  ctx.setConfig(snap.config ?? ctx.initial, snap.configSlot ?? 0);
  for (const slot of ctx.accepted.keys()) if (slot <= snap.index) ctx.accepted.delete(slot);
  ctx.out.snapshot = snapshotRecord(ctx);
  return true;
}
