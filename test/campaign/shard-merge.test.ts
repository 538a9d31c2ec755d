// A campaign fanned out over shards (as a Kubernetes Indexed Job runs them: the shard from
// JOB_COMPLETION_INDEX and TENREC_SHARD_COUNT) and merged back equals the same campaign run in
// one place, run for run: same seeds, same verdicts, nothing lost or duplicated.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { inShard, parseShard, shardFrom } from '../../src/campaign/shard.ts';
import { tempResults } from '../runner/helpers.ts';

const BIN = path.resolve('bin/tenrec.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = tempResults();
  dirs.push(d);
  return d;
};
const FLAGS = ['--runs', '4', '--seed', '77', '--nemesis', 'none', '--time-limit', '2', '--rate', '60', '--concurrency', '4', '--keys', '2', '--quiesce', '0.5'];

interface Row {
  seed: number;
  valid: boolean | string;
  campaign_id: string;
  dir: string;
}

describe('shards', () => {
  it('are read from --shard, TENREC_SHARD, or a Kubernetes Indexed Job', () => {
    expect(shardFrom('2/3', {})).toEqual({ index: 2, count: 3 });
    expect(shardFrom(undefined, { TENREC_SHARD: '1/4' })).toEqual({ index: 1, count: 4 });
    expect(shardFrom(undefined, { JOB_COMPLETION_INDEX: '0', TENREC_SHARD_COUNT: '2' })).toEqual({ index: 1, count: 2 });
    expect(shardFrom(undefined, {})).toBeUndefined();
    expect(() => shardFrom(undefined, { JOB_COMPLETION_INDEX: '1' })).toThrow(/TENREC_SHARD_COUNT/);
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/I\/N/);
    // Together the shards take every run exactly once.
    const taken = Array.from({ length: 10 }, (_, i) => [1, 2, 3].filter((s) => inShard(i, { index: s, count: 3 })));
    expect(taken.every((t) => t.length === 1)).toBe(true);
  });

  it('merged, equal the unsharded campaign run by run; merging again adds nothing', { timeout: 240_000 }, async () => {
    // The whole campaign and its two shards run at once, as separate machines would (the load is
    // light: no faults, 60 ops/s).
    const whole = temp();
    const shardDirs = [temp(), temp()];
    const [one, ...shards] = await Promise.all([
      execa(process.execPath, [BIN, 'campaign', ...FLAGS, '--results-dir', whole, '--json'], { reject: false }),
      ...shardDirs.map((d, i) =>
        execa(process.execPath, [BIN, 'campaign', ...FLAGS, '--results-dir', d, '--json'], {
          reject: false,
          env: { ...process.env, JOB_COMPLETION_INDEX: String(i), TENREC_SHARD_COUNT: '2' },
        }),
      ),
    ]);
    expect(one!.exitCode, one!.stderr).toBe(0);
    for (const s of shards) expect(s.exitCode, s.stderr).toBe(0);
    const merged = temp();
    const junit = path.join(merged, 'junit.xml');
    const m = await execa(process.execPath, [BIN, 'merge', ...shardDirs, '--into', merged, '--json', '--junit', junit], { reject: false });
    expect(m.exitCode, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ merged: 4, duplicates: 0, refused: [], valid: 4, campaigns: ['c-seed77-runs4'] });
    const list = async (d: string) => JSON.parse((await execa(process.execPath, [BIN, 'runs', '--results', d, '--json'])).stdout) as Row[];
    const bySeed = (rows: Row[]) => rows.map((r) => [r.seed, r.valid]).sort((a, b) => Number(a[0]) - Number(b[0]));
    const mergedRows = await list(merged);
    expect(bySeed(mergedRows)).toEqual(bySeed(await list(whole)));
    expect(new Set(mergedRows.map((r) => r.campaign_id))).toEqual(new Set(['c-seed77-runs4']));
    // Self-contained: every run directory now lives under the merged directory.
    for (const r of mergedRows) {
      expect(r.dir.startsWith(merged)).toBe(true);
      expect(fs.existsSync(path.join(r.dir, 'report.html'))).toBe(true);
    }
    expect((fs.readFileSync(junit, 'utf8').match(/<testcase /g) ?? []).length).toBe(4);
    const again = await execa(process.execPath, [BIN, 'merge', ...shardDirs, '--into', merged, '--json'], { reject: false });
    expect(JSON.parse(again.stdout)).toMatchObject({ merged: 0, duplicates: 4 });
    expect(await list(merged)).toHaveLength(4);
  });

  it('refuses a row whose run directory lies outside its results directory', { timeout: 60_000 }, async () => {
    const src = temp();
    const elsewhere = temp();
    fs.mkdirSync(path.join(elsewhere, 'secret'));
    const { insertRun } = await import('../../src/store/index-db.ts');
    await insertRun(src, {
      name: 'x', dir: path.join(elsewhere, 'secret'), started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:00:01.000Z', valid: 'true', workload: 'counter',
      nemesis: 'none', faults: 'none', nodes: 3, bug: null, seed: 1, ops: 0, ok: 0, fail: 0, info: 0, duration_ms: 1, campaign_id: null, settings_json: '{}',
    });
    const into = temp();
    const r = await execa(process.execPath, [BIN, 'merge', src, '--into', into, '--json'], { reject: false });
    expect(JSON.parse(r.stdout)).toMatchObject({ merged: 0, refused: [{ why: expect.stringContaining('outside') }] });
    expect(fs.readdirSync(into)).toEqual(['tenrec.db']);
  });
});
