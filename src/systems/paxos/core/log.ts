// What one log slot holds, and the learned (chosen) part of the log.
import type { Configuration } from './configuration.ts';
import type { LoggedCommand, MachineState } from './state-machine.ts';

/**
 * A slot's value: a batch of client commands, a no-op that fills a gap at recovery, or a new
 * configuration (in force from the next slot on).
 */
export type SlotValue = { kind: 'noop' } | { kind: 'batch'; cmds: LoggedCommand[] } | ({ kind: 'config' } & Configuration);

export const NOOP: SlotValue = { kind: 'noop' };

/** The state machine as of `index` (every slot ≤ index applied), the unit of compaction. */
export interface SnapshotData {
  index: number;
  machine: MachineState;
  /** The configuration in force after `index` (absent: the one the replica was started with). */
  config?: Configuration;
  /** The slot that chose `config`. */
  configSlot?: number;
}

/**
 * Chosen values by slot. `commitIndex` is the end of the contiguous chosen prefix; slots ≤
 * `snapshotIndex` have been compacted away (they live on only inside the snapshot).
 */
export class LearnedLog {
  readonly chosen = new Map<number, SlotValue>();
  commitIndex = 0;
  appliedIndex = 0;
  snapshotIndex = 0;

  /** Record a chosen value; returns false if the slot was already known (or compacted). */
  learn(slot: number, value: SlotValue): boolean {
    if (slot <= this.commitIndex || this.chosen.has(slot)) return false;
    this.chosen.set(slot, value);
    while (this.chosen.has(this.commitIndex + 1)) this.commitIndex++;
    return true;
  }

  isChosen(slot: number): boolean {
    return slot <= this.commitIndex || this.chosen.has(slot);
  }

  /** Forget chosen values ≤ index (they are in the snapshot now). */
  compact(index: number): void {
    for (const slot of this.chosen.keys()) if (slot <= index) this.chosen.delete(slot);
    this.snapshotIndex = Math.max(this.snapshotIndex, index);
  }

  /** Jump to a snapshot taken elsewhere: everything ≤ index is chosen and applied. */
  resetTo(index: number): void {
    this.compact(index);
    this.commitIndex = Math.max(this.commitIndex, index);
    this.appliedIndex = Math.max(this.appliedIndex, index);
    while (this.chosen.has(this.commitIndex + 1)) this.commitIndex++;
  }
}
