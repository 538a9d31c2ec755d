// One shard of a campaign (or of a simulator seed range), for fanning a campaign out over many
// machines: CI matrices, Kubernetes Indexed Jobs. Shard I of N (1-based) takes runs I, I+N,
// I+2N, …, so the shards together are exactly the unsharded campaign, run for run.
//
// Where the shard comes from: `--shard I/N`; else TENREC_SHARD=I/N; else a Kubernetes Indexed
// Job's JOB_COMPLETION_INDEX (0-based) with TENREC_SHARD_COUNT=N (set it in the Job's spec).
import { UserError } from '../errors/user-error.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string, where = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || count > 100_000) throw new UserError(`${where} must be I/N with 1 ≤ I ≤ N (shard I of N), got ${JSON.stringify(text)}`);
  return { index, count };
}

/** The shard asked for by flag or environment, or undefined for the whole campaign. */
export function shardFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  if (flag !== undefined) return parseShard(flag);
  if (env.TENREC_SHARD) return parseShard(env.TENREC_SHARD, 'TENREC_SHARD');
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const i = Number(env.JOB_COMPLETION_INDEX);
    if (!env.TENREC_SHARD_COUNT) throw new UserError('JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but TENREC_SHARD_COUNT is not: set it to the Job\'s completions');
    if (!Number.isInteger(i) || i < 0) throw new UserError(`JOB_COMPLETION_INDEX must be an integer ≥ 0, got ${JSON.stringify(env.JOB_COMPLETION_INDEX)}`);
    return parseShard(`${i + 1}/${env.TENREC_SHARD_COUNT}`, 'JOB_COMPLETION_INDEX and TENREC_SHARD_COUNT');
  }
  return undefined;
}

/** Whether the run (or seed) at 0-based position `i` belongs to the shard. */
export function inShard(i: number, shard: Shard | undefined): boolean {
  return shard === undefined || i % shard.count === shard.index - 1;
}

/** The campaign id every shard of one campaign shares: it cannot come from the clock. */
export function shardedCampaignId(baseSeed: number, runs: number): string {
  return `c-seed${baseSeed}-runs${runs}`;
}
