// The nemesis schedule: which fault starts when and how long it holds, planned up front from the
// seed so a run can be repeated. Faults take turns (the kinds in a seeded order, round-robin),
// separated by a quiet gap and held for about the interval. A run asked for faults must get every
// kind at least once, or it proves nothing: the plan scales to the time limit, and the runner
// waits for the first round before it ends the main phase.
import { createRng, type Rng } from '../workloads/rng.ts';
import type { DB } from '../src/system/db.ts';
import { canKill, canPause } from '../src/system/capabilities.ts';
import { killFault } from './kill.ts';
import { pauseFault } from './pause.ts';
import { failpointFault } from './failpoint.ts';
import { partitionFault } from './partition.ts';
import { powerLossFault } from './power-loss.ts';
import { fsyncFault } from './fsync.ts';
import { clockFault } from './clock.ts';
import { corruptFault } from './corrupt.ts';
import { membershipFault } from './membership.ts';
import { shuffle, type ActiveFault, type Fault, type FaultContext, type FaultEvent, type FaultKind } from './fault.ts';

export const FAULTS: Record<FaultKind, Fault> = {
  kill: killFault,
  pause: pauseFault,
  failpoint: failpointFault,
  partition: partitionFault,
  'power-loss': powerLossFault,
  fsync: fsyncFault,
  clock: clockFault,
  corrupt: corruptFault,
  membership: membershipFault,
};

export interface PlannedFault {
  kind: FaultKind;
  /** Seconds since the test start. */
  startS: number;
  stopS: number;
  /** The quiet gap before it, seconds: kept even when an earlier fault ran late. */
  gapS: number;
}

/** A quiet gap is uniform in [0.5, 1]·interval and a hold in [0.75, 1.25]·interval. */
const MAX_CYCLE = 1 + 1.25;
/** The first round (one fault of every kind) must fit in this share of the time limit. */
const FIRST_ROUND_SHARE = 0.8;
/** Scaling to fit a short time limit never shrinks the interval below this (a fault held less than
 * about an election timeout means little); an interval asked for explicitly may be shorter. */
export const MIN_INTERVAL_S = 1;

/** The shortest `--time-limit` in which every kind of `kinds` surely gets its turn. */
export function minimumTimeLimit(kinds: readonly FaultKind[], intervalS = MIN_INTERVAL_S): number {
  const floor = Math.min(intervalS, MIN_INTERVAL_S);
  return Math.ceil((kinds.length * MAX_CYCLE * floor * 10) / FIRST_ROUND_SHARE - 1e-9) / 10;
}

/**
 * The interval actually used: the one asked for, shrunk (never below MIN_INTERVAL_S) when one round
 * of every kind would not fit in the first 80% of the time limit. The slack absorbs real time lost
 * to slow restarts.
 */
export function effectiveInterval(kinds: readonly FaultKind[], intervalS: number, timeLimitS: number): number {
  if (kinds.length === 0) return intervalS;
  const fit = (FIRST_ROUND_SHARE * timeLimitS) / (kinds.length * MAX_CYCLE);
  return intervalS <= fit ? intervalS : round(Math.max(Math.min(intervalS, MIN_INTERVAL_S), fit));
}

/** Why these settings cannot give every requested fault its turn, or undefined when they can. */
export function scheduleProblem(kinds: readonly FaultKind[], intervalS: number, timeLimitS: number): string | undefined {
  if (kinds.length === 0) return undefined;
  const min = minimumTimeLimit(kinds, intervalS);
  if (timeLimitS >= min) return undefined;
  return (
    `--time-limit ${timeLimitS} is too short for --nemesis ${kinds.join(',')}: every fault kind gets at least one turn ` +
    `of quiet and hold (an interval of ${Math.min(intervalS, MIN_INTERVAL_S)} s at the least), which needs --time-limit ${min} or more; ` +
    `give a longer time limit, fewer fault kinds, or --nemesis none`
  );
}

/**
 * Quiet gap uniform in [0.5, 1]·interval, then a fault held uniform in [0.75, 1.25]·interval,
 * repeated; the last fault stops no later than `timeLimitS`. The kinds take turns in a seeded
 * order, and the interval is scaled (effectiveInterval) so that the first round, one fault of
 * every kind, always fits: a run asked for faults never plans fewer kinds than asked.
 */
export function planSchedule(seed: number, kinds: readonly FaultKind[], intervalS: number, timeLimitS: number): PlannedFault[] {
  if (kinds.length === 0 || intervalS <= 0) return [];
  const problem = scheduleProblem(kinds, intervalS, timeLimitS);
  if (problem) throw new Error(problem);
  const interval = effectiveInterval(kinds, intervalS, timeLimitS);
  const rng = createRng(seed);
  const order = shuffle(kinds, rng);
  const plan: PlannedFault[] = [];
  let t = 0;
  for (let i = 0; ; i++) {
    const start = t + interval * (0.5 + 0.5 * rng.next());
    const hold = interval * (0.75 + 0.5 * rng.next());
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
  private readonly roundKinds: ReadonlySet<FaultKind>;
  private roundResolve!: () => void;
  /**
   * Settles once every kind of the plan has started and stopped at least once, or the schedule
   * has nothing more to try: the runner keeps the workload going until then.
   */
  readonly firstRound: Promise<void> = new Promise((r) => (this.roundResolve = r));

  constructor(
    private readonly db: DB,
    private readonly plan: readonly PlannedFault[],
    private readonly rng: Rng,
    private readonly record: NemesisRecorder,
    /** ms since the test start, on the runner's clock. */
    private readonly elapsedMs: () => number,
    /** Where the faults may aim (FaultContext). */
    private readonly aim: Pick<FaultContext, 'failpoints'> = {},
  ) {
    this.roundKinds = new Set(plan.map((p) => p.kind));
    if (this.roundKinds.size === 0) this.roundResolve();
  }

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
    try {
      await this.runPlan();
    } finally {
      this.roundResolve();
    }
  }

  private async runPlan(): Promise<void> {
    const stopped = new Set<FaultKind>();
    for (const p of this.plan) {
      // A slow restart can push us past the planned start: keep the planned quiet gap anyway, so
      // the cluster gets to recover between faults.
      await this.sleep(Math.max(p.startS * 1000 - this.elapsedMs(), p.gapS * 1000));
      if (this.stopped) return;
      try {
        const { event, active } = await FAULTS[p.kind].start({ db: this.db, rng: this.rng, ...this.aim });
        this.active = active;
        for (const e of [event].flat()) this.record(e);
      } catch (err) {
        this.errors.push(`start ${p.kind}: ${message(err)}`);
        continue;
      }
      await this.sleep((p.stopS - p.startS) * 1000);
      await this.stopActive();
      stopped.add(p.kind);
      if ([...this.roundKinds].every((k) => stopped.has(k))) this.roundResolve();
      if (this.stopped) return;
    }
  }

  private async stopActive(): Promise<void> {
    const a = this.active;
    if (!a) return;
    this.active = undefined;
    try {
      for (const e of [await a.stop()].flat()) this.record(e);
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
    const db = this.db;
    await db.net?.heal();
    for (const n of db.nodes()) {
      if (canPause(db)) await db.resume(n.id).catch(() => {});
      if (canKill(db)) await db.restart(n.id).catch((err: unknown) => this.errors.push(`heal restart ${n.id}: ${message(err)}`));
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
