// A campaign: N `tenrec test` runs with seeds derived from one base seed (and, with --vary,
// rotating settings), sharing a campaign id in the index. Runs go one after another: each starts
// its own cluster, and two at once would fight over the machine and muddy the latencies.
import { deriveSeed } from '../../workloads/rng.ts';
import type { CheckResult, Validity } from '../../checker/types.ts';
import { UserError } from '../errors/user-error.ts';
import { resolveSettings, rerunCommand, randomSeed, type TestSettings } from '../runner/settings.ts';
import type { RunOutcome } from '../runner/run-test.ts';
import { variation, type VaryDimension } from './vary.ts';
import { inShard, shardedCampaignId, type Shard } from './shard.ts';

export interface CampaignOptions {
  runs: number;
  /** Settings every run shares (test flags); `seed` is the campaign's base seed. */
  base: Partial<TestSettings>;
  vary: VaryDimension[];
  untilInvalid: boolean;
  /** Default: derived from the clock (from the seed and runs when sharded). */
  campaignId?: string;
  /** Run only this shard's runs (shard.ts); the plan, seeds and run numbers stay the whole campaign's. */
  shard?: Shard;
}

/** One finished (or failed-to-run) run. */
export interface CampaignRun {
  /** 1-based. */
  n: number;
  settings: TestSettings;
  valid: Validity | 'error';
  dir?: string;
  id?: number;
  result?: CheckResult;
  anomalyText?: string;
  ops: number;
  /** The faults that happened, by kind (absent when the run could not happen). */
  faults?: Record<string, number>;
  opsChecked: number;
  durationMs: number;
  /** Campaign wall time when this run finished. */
  finishedAtMs: number;
  error?: string;
  rerun: string;
}

export interface CampaignSummary {
  campaignId: string;
  baseSeed: number;
  runs: CampaignRun[];
  planned: number;
  valid: number;
  invalid: number;
  unknown: number;
  errors: number;
  opsChecked: number;
  wallMs: number;
  /** The first invalid run and how long the campaign took to find it. */
  firstAnomaly?: { n: number; detectedAfterMs: number; dir?: string };
  stoppedEarly: boolean;
}

/** Runs one test; `n` of `planned` says which, for a progress line. */
export type RunTestFn = (settings: Partial<TestSettings>, n: number, planned: number) => Promise<RunOutcome>;

export function newCampaignId(now = new Date()): string {
  return `c-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Every run's full settings, resolved (and so validated) before the first cluster starts. */
export function planRuns(opts: CampaignOptions, campaignId: string): TestSettings[] {
  if (!(Number.isInteger(opts.runs) && opts.runs >= 1)) throw new UserError(`--runs must be an integer ≥ 1, got ${opts.runs}`);
  const baseSeed = opts.base.seed ?? randomSeed();
  return Array.from({ length: opts.runs }, (_, i) =>
    resolveSettings({
      ...opts.base,
      ...variation(opts.vary, i),
      // Run 1 keeps the base seed itself, so `--runs 1 --seed S` is `tenrec test --seed S`.
      seed: i === 0 ? baseSeed : deriveSeed(baseSeed, `campaign-run-${i}`) % 2 ** 31,
      campaignId,
      progress: false,
    }),
  );
}

export async function runCampaign(
  opts: CampaignOptions,
  runTest: RunTestFn,
  onRun: (run: CampaignRun, summarySoFar: CampaignSummary) => void = () => {},
): Promise<CampaignSummary> {
  if (opts.campaignId !== undefined && !/^[A-Za-z0-9._-]{1,100}$/.test(opts.campaignId)) {
    throw new UserError(`--campaign-id may hold letters, digits, '.', '_' and '-' only (at most 100), got ${JSON.stringify(opts.campaignId)}`);
  }
  if (opts.shard && opts.base.seed === undefined) {
    throw new UserError('--shard needs --seed: every shard must plan the same campaign (the same base seed)');
  }
  const campaignId = opts.campaignId ?? (opts.shard ? shardedCampaignId(opts.base.seed!, opts.runs) : newCampaignId());
  const plan = planRuns(opts, campaignId);
  const started = Date.now();
  const summary: CampaignSummary = {
    campaignId, baseSeed: plan[0]!.seed, runs: [], planned: plan.length, valid: 0, invalid: 0, unknown: 0, errors: 0, opsChecked: 0, wallMs: 0, stoppedEarly: false,
  };
  for (let i = 0; i < plan.length; i++) {
    if (!inShard(i, opts.shard)) continue;
    const settings = plan[i]!;
    const t0 = Date.now();
    let run: CampaignRun;
    try {
      const o = await runTest(settings, i + 1, plan.length);
      run = {
        n: i + 1, settings: o.settings, valid: o.valid, dir: o.dir, id: o.id, result: o.result,
        ...(o.anomalyText ? { anomalyText: o.anomalyText } : {}),
        ops: o.counts.ops, faults: o.counts.faults, opsChecked: o.result.ops, durationMs: o.durationMs, finishedAtMs: Date.now() - started, rerun: rerunCommand(o.settings),
      };
    } catch (err) {
      // A run that could not happen (cluster failed to start …) is recorded, not fatal: the rest
      // of the campaign still says something. Bad flags were caught by planRuns already.
      run = {
        n: i + 1, settings, valid: 'error', ops: 0, opsChecked: 0, durationMs: Date.now() - t0, finishedAtMs: Date.now() - started,
        error: err instanceof Error ? err.message : String(err), rerun: rerunCommand(settings),
      };
    }
    summary.runs.push(run);
    if (run.valid === true) summary.valid++;
    else if (run.valid === false) summary.invalid++;
    else if (run.valid === 'unknown') summary.unknown++;
    else summary.errors++;
    summary.opsChecked += run.opsChecked;
    if (run.valid === false && !summary.firstAnomaly) {
      summary.firstAnomaly = { n: run.n, detectedAfterMs: run.finishedAtMs, ...(run.dir ? { dir: run.dir } : {}) };
    }
    summary.wallMs = Date.now() - started;
    onRun(run, summary);
    if (opts.untilInvalid && run.valid === false) {
      summary.stoppedEarly = i + 1 < plan.length;
      break;
    }
  }
  summary.wallMs = Date.now() - started;
  return summary;
}
