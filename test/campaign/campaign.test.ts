// Campaign logic against a scripted runner (seeds, --vary, --until-invalid, errors, summary,
// JUnit), then once for real: two tiny runs through the CLI against the Paxos cluster.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { planRuns, runCampaign, type RunTestFn } from '../../src/campaign/run-campaign.ts';
import { summaryText, tableRow } from '../../src/campaign/report-text.ts';
import { parseVary, variation } from '../../src/campaign/vary.ts';
import { runCase } from '../../src/ci/cases.ts';
import { junitXml } from '../../src/ci/junit.ts';
import { UserError } from '../../src/errors/user-error.ts';
import { listRuns } from '../../src/store/index-db.ts';
import { resolveSettings, type TestSettings } from '../../src/runner/settings.ts';
import type { RunOutcome } from '../../src/runner/run-test.ts';
import type { Validity } from '../../checker/types.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-campaign-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A runner that answers with scripted verdicts (or throws for 'error'), recording what it was asked. */
function scripted(verdicts: (Validity | 'error')[]): { fn: RunTestFn; seen: TestSettings[] } {
  const seen: TestSettings[] = [];
  const fn: RunTestFn = async (input) => {
    const s = resolveSettings(input);
    seen.push(s);
    const v = verdicts[seen.length - 1]!;
    if (v === 'error') throw new Error('cluster failed to start');
    const result = { valid: v, model: 'counter', ops: 100, partitions: 4, ms: 5, parts: [], ...(v === false ? { anomaly: { key: 'k1', op: {} as never, prefix: [], state: '3', concurrent: [], explanation: 'read of k1 returned 2 at 1.0 s, but …' } } : {}) };
    return { dir: `/r/${seen.length}`, id: seen.length, valid: v, exitCode: 0, settings: s, counts: { ops: 120 } as RunOutcome['counts'], result, durationMs: 1000, nemesisErrors: [], ...(v === false ? { anomalyText: 'NOT LINEARIZABLE (key k1)' } : {}) } as unknown as RunOutcome;
  };
  return { fn, seen };
}

describe('campaign planning', () => {
  it('derives distinct reproducible seeds, run 1 keeping the base seed', () => {
    const a = planRuns({ runs: 4, base: { seed: 42 }, vary: [], untilInvalid: false }, 'c');
    const b = planRuns({ runs: 4, base: { seed: 42 }, vary: [], untilInvalid: false }, 'c');
    expect(a.map((s) => s.seed)).toEqual(b.map((s) => s.seed));
    expect(a[0]!.seed).toBe(42);
    expect(new Set(a.map((s) => s.seed)).size).toBe(4);
    expect(a.every((s) => s.campaignId === 'c' && s.progress === false)).toBe(true);
  });

  it('rotates varied settings, first dimension fastest', () => {
    const dims = parseVary('workload,nodes');
    expect([0, 1, 2, 3, 4].map((i) => variation(dims, i))).toEqual([
      { workload: 'counter', nodes: 3 },
      { workload: 'register', nodes: 3 },
      { workload: 'cas-register', nodes: 3 },
      { workload: 'set', nodes: 3 },
      { workload: 'counter', nodes: 5 },
    ]);
    expect(variation(parseVary('nemesis'), 1)).toEqual({ nemesis: ['partition'] });
  });

  it('rejects bad flags before any run starts', () => {
    expect(() => parseVary('colour')).toThrow(UserError);
    expect(() => planRuns({ runs: 0, base: {}, vary: [], untilInvalid: false }, 'c')).toThrow(UserError);
    expect(() => planRuns({ runs: 2, base: { workload: 'queue' as never }, vary: [], untilInvalid: false }, 'c')).toThrow(UserError);
  });
});

describe('runCampaign', () => {
  it('counts verdicts, records a run that could not start, and prints a rerun command per failed run', async () => {
    const { fn } = scripted([true, false, 'unknown', 'error']);
    const rows: string[] = [];
    const s = await runCampaign({ runs: 4, base: { seed: 7, name: 'camp' }, vary: [], untilInvalid: false, campaignId: 'c-test' }, fn, (r, so) => rows.push(tableRow(r, so.planned)));
    expect(s).toMatchObject({ valid: 1, invalid: 1, unknown: 1, errors: 1, opsChecked: 300, stoppedEarly: false, firstAnomaly: { n: 2, dir: '/r/2' } });
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(/^2\/4\s+\d+\s+counter .* INVALID\s+120\s+1\.0s\s+\/r\/2$/);
    expect(rows[3]).toContain('(cluster failed to start)');
    const text = summaryText(s);
    expect(text).toContain('valid 1 · invalid 1 · unknown 1 · could not run 1 · ops checked 300');
    expect(text).toMatch(/first anomaly: run 2, found [\d.]+s into the campaign/);
    // Failed runs 2, 3 and 4 each get the exact command, with their own seed.
    for (const r of s.runs.slice(1)) expect(text).toContain(`--seed ${r.settings.seed} `);
    expect(text.match(/npx tenrec test /g)).toHaveLength(3);
    const xml = junitXml('c', s.runs.map((r) => runCase({ ...r, label: `run ${r.n}` }, 'tenrec.campaign.c-test')), 'fail');
    expect(xml).toContain('tests="4" failures="2" errors="1"');
    expect(xml).toContain('report: /r/2/report.html');
  });

  it('stops at the first invalid run with --until-invalid', async () => {
    const { fn, seen } = scripted([true, true, false, true, true]);
    const s = await runCampaign({ runs: 5, base: {}, vary: [], untilInvalid: true }, fn);
    expect(seen).toHaveLength(3);
    expect(s).toMatchObject({ invalid: 1, stoppedEarly: true });
    expect(summaryText(s)).toContain('stopped at the first invalid run; 5 planned');
  });
});

describe('tenrec campaign (real cluster)', () => {
  it('runs two tiny tests sharing a campaign id, writes JUnit, exits by the verdicts', async () => {
    const results = path.join(tmp, 'results');
    const junit = path.join(tmp, 'junit.xml');
    const bin = fileURLToPath(new URL('../../bin/tenrec.js', import.meta.url));
    const args = ['campaign', '--runs', '2', '--time-limit', '3', '--quiesce', '0.2', '--rate', '40', '--concurrency', '2', '--keys', '2',
      '--nemesis', 'kill', '--nemesis-interval', '1', '--seed', '11', '--results-dir', results, '--junit', junit];
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [bin, ...args], { timeout: 110_000, killSignal: 'SIGINT' }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
      child.stdin?.end();
    });
    const rows = await listRuns(results, {});
    expect(rows, r.stderr).toHaveLength(2);
    const ids = new Set(rows.map((x) => x.campaign_id));
    expect(ids.size).toBe(1);
    const campaignId = [...ids][0]!;
    expect(campaignId).toMatch(/^c-/);
    expect(r.stdout).toContain(`list them: npx tenrec runs --campaign ${campaignId}`);
    expect(r.stdout.split('\n').filter((l) => /^[12]\/2 /.test(l))).toHaveLength(2);
    const verdicts = rows.map((x) => x.valid);
    const expected = verdicts.includes('false') ? 1 : verdicts.includes('unknown') ? 2 : 0;
    expect(r.code, r.stderr).toBe(expected);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toContain('tests="2"');
    for (const row of rows) expect(xml).toContain(`name="${row.dir}"`);
  }, 120_000);

  it('on a terminal, shows the run in progress (its number, elapsed time, phase, ops) under the table', async () => {
    // `script` (util-linux) gives the campaign a pseudo-terminal, as a user's shell would.
    const results = path.join(tmp, 'results-tty');
    const bin = fileURLToPath(new URL('../../bin/tenrec.js', import.meta.url));
    const cmd = [process.execPath, bin, 'campaign', '--runs', '1', '--time-limit', '3', '--quiesce', '0.2', '--rate', '40', '--concurrency', '2',
      '--nemesis', 'kill', '--nemesis-interval', '1', '--seed', '12', '--results-dir', results].join(' ');
    const out = await new Promise<string>((resolve) => {
      execFile('script', ['-qfec', cmd, '/dev/null'], { timeout: 60_000 }, (_err, stdout) => resolve(stdout));
    });
    const screen = out.replace(/\x1b\[2K/g, '').split(/\r|\n/);
    const live = screen.filter((l) => /^run 1\/1 \[\d+\.\ds\] (main|heal|quiesce|final reads) · \d+ ops\/s · ok \d+ fail \d+ info \d+ · fault: /.test(l));
    expect(live.length, out.slice(0, 2000)).toBeGreaterThan(3);
    expect(screen.some((l) => l.startsWith('1/1 '))).toBe(true);
  }, 60_000);
});
