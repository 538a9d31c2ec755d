// The simulator's storage behind the Disk interface, so simulated replicas run the node's own
// Ready pipeline: writes sit in the fake disk's volatile buffer until an fsync that the
// scheduler fires a random latency later, covering every write made before it (group commit).
// Under ack-before-fsync the pipeline no longer waits for it, and the fsync comes later still.
import type { DurableRecord } from '../types.ts';
import type { Disk } from '../driver/disk.ts';
import type { FakeDisk } from './disk.ts';
import type { Random } from './random.ts';
import type { Scheduler } from './scheduler.ts';

export class SimDisk implements Disk {
  private appended = 0;
  private synced = 0;
  private scheduled = false;
  private readonly listeners: ((seq: number) => void)[] = [];
  /** A fault: the next fsync stalls this long and `crash` runs instead of it. */
  private stall: { ms: number; crash: () => void } | undefined;

  constructor(
    private readonly disk: FakeDisk,
    private readonly sched: Scheduler,
    private readonly rng: Random,
    /** How long an fsync takes (ms). */
    private readonly latency: [number, number],
    /** False once the node crashed: a pending fsync of that life does nothing. */
    private readonly alive: () => boolean,
  ) {}

  append(records: readonly DurableRecord[], snapshot?: DurableRecord): number {
    if (records.length === 0 && snapshot === undefined) return this.appended;
    this.disk.write(snapshot, [...records]);
    this.appended++;
    this.schedule();
    return this.appended;
  }

  get durable(): number {
    return this.synced;
  }

  onDurable(listener: (seq: number) => void): void {
    this.listeners.push(listener);
  }

  stallNextFsync(ms: number, crash: () => void): void {
    this.stall = { ms, crash };
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const stall = this.stall;
    this.stall = undefined;
    this.sched.after(this.rng.range(...this.latency) + (stall?.ms ?? 0), () => {
      if (!this.alive()) return;
      if (stall) return stall.crash();
      this.scheduled = false;
      this.disk.fsync();
      this.synced = this.appended;
      for (const l of this.listeners) l(this.synced);
    });
  }
}
