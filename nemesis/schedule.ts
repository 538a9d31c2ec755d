// The nemesis schedule: which fault starts when and how long it holds, planned up front from the
// seed so a run can be repeated. Faults take turns (the kinds in a seeded order, round-robin, so a
// short run still sees every kind), separated by a quiet gap and held for about the interval.
import { createRng, type Rng } from '../workloads/rng.ts';
import type { DB } from '../src/db/db.ts';
import { killFault } from './kill.ts';
import { pauseFault } from './pause.ts';
import { partitionFault } from './partition.ts';
import { powerLossFault } from './power-loss.ts';
import { shuffle, type ActiveFault, type Fault, type FaultEvent, type FaultKind } from './fault.ts';

export const FAULTS: Record<FaultKind, Fault> = {
  kill: killFault,
  pause: pauseFault,
  partition: partitionFault,
  'power-loss': powerLossFault,
};

export interface PlannedFault {
  kind: FaultKind;
  /** Seconds since the test start. */
  startS: number;
  stopS: number;
  /** The quiet gap before it, seconds: kept even when an earlier fault ran late. */
  gapS: number;
}

/**
 * Quiet gap uniform in [0.5, 1]·interval, then a fault held uniform in [0.75, 1.25]·interval,
 * repeated; the last fault stops no later than `timeLimitS`.
 */
export function planSchedule(seed: number, kinds: readonly FaultKind[], intervalS: number, timeLimitS: number): PlannedFault[] {
  if (kinds.length === 0 || intervalS <= 0) return [];
  const rng = createRng(seed);
  const order = shuffle(kinds, rng);
  const plan: PlannedFault[] = [];
  let t = 0;
  for (let i = 0; ; i++) {
    const start = t + intervalS * (0.5 + 0.5 * rng.next());
    const hold = intervalS * (0.75 + 0.5 * rng.next());
    if (start + hold > timeLimitS) break;
    plan.push({ kind: order[i % order.length]!, startS: round(start), stopS: round(start + hold), gapS: round(start - t) });
    t = start + hold;
  }
  return plan;
}

const round = (s: number) => Math.round(s * 1000) / 1000;

export interface NemesisRecorder {
  (event: FaultEvent): void;
}

/**
 * Runs a plan against a DB in real time, one fault at a time: wait for the planned start, start,
 * hold for the planned duration (counted from when the start took effect, so a slow restart does
 * not eat the next fault's hold), stop. Every start and stop is recorded. `healAll` ends the
 * schedule, stops the fault in progress and undoes anything that might linger.
 */
export class NemesisRunner {
  private active?: ActiveFault;
  private stopped = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  readonly errors: string[] = [];

  constructor(
    private readonly db: DB,
    private readonly plan: readonly PlannedFault[],
    private readonly rng: Rng,
    private readonly record: NemesisRecorder,
    /** ms since the test start, on the runner's clock. */
    private readonly elapsedMs: () => number,
  ) {}

  get current(): string | undefined {
    return this.active?.label;
  }

  start(): void {
    this.loop = this.run();
  }

  /** Sleeps, unless healAll wakes it first. */
  private sleep(ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    for (const p of this.plan) {
      // A slow restart can push us past the planned start: keep the planned quiet gap anyway, so
      // the cluster gets to recover between faults.
      await this.sleep(Math.max(p.startS * 1000 - this.elapsedMs(), p.gapS * 1000));
      if (this.stopped) return;
      try {
        const { event, active } = await FAULTS[p.kind].start({ db: this.db, rng: this.rng });
        this.active = active;
        this.record(event);
      } catch (err) {
        this.errors.push(`start ${p.kind}: ${message(err)}`);
        continue;
      }
      await this.sleep((p.stopS - p.startS) * 1000);
      await this.stopActive();
      if (this.stopped) return;
    }
  }

  private async stopActive(): Promise<void> {
    const a = this.active;
    if (!a) return;
    this.active = undefined;
    try {
      this.record(await a.stop());
    } catch (err) {
      this.errors.push(`stop ${a.kind}: ${message(err)}`);
    }
  }

  /** Stops the schedule and heals everything. */
  async healAll(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.stopActive();
    // Belt and braces: whatever a failed stop may have left behind.
    this.db.net?.heal();
    for (const n of this.db.nodes()) {
      await this.db.resume(n.id).catch(() => {});
      await this.db.restart(n.id).catch((err: unknown) => this.errors.push(`heal restart ${n.id}: ${message(err)}`));
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
