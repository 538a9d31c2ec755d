// `tenrec show` and `tenrec runs` over a results dir built from fixtures: the exit-code contract
// through the real CLI, the rest in-process (a CLI start costs seconds on a busy machine).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResults } from './fixtures/make-results.ts';
import { LOST_WRITE_FILE } from './fixtures/lost-write.ts';
import { parseSince } from '../../src/cli/parse-since.ts';
import { UserError } from '../../src/errors/user-error.ts';
import { showCommand } from '../../src/cli/commands/show.ts';
import { runsCommand } from '../../src/cli/commands/runs.ts';
import { runCommand } from './in-process.ts';

const BIN = fileURLToPath(new URL('../../bin/tenrec.js', import.meta.url));

function tenrec(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

let fx: Awaited<ReturnType<typeof makeResults>>;
beforeAll(async () => { fx = await makeResults(); });
afterAll(() => fx?.cleanup());

describe('tenrec show', () => {
  it('summarizes a run by its index id: verdict, counts, latencies, faults, the anomaly', async () => {
    const r = await tenrec(['show', String(fx.invalid.id), '--results', fx.results]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict\s+INVALID/);
    expect(r.stdout).toMatch(/write\s+2\s+1\s+0\s+3/);
    expect(r.stdout).toMatch(/latency\s+p50 150\.0 ms/);
    expect(r.stdout).toMatch(/kill n1\s+1\.50 s – 3\.00 s/);
    expect(r.stdout).toContain('NOT LINEARIZABLE (key x)');
    expect(r.stdout).toContain('rerun     npx tenrec test --workload register --seed 2');
  });

  it('checks a bare history file and prints JSON', async () => {
    const s = JSON.parse(await runCommand(showCommand, ['show', fileURLToPath(LOST_WRITE_FILE), '--json']));
    expect(s).toMatchObject({ kind: 'file', verdict: 'invalid', valid: false, model: 'register', total: { ok: 5, fail: 1, info: 0, all: 6 } });
    expect(s.anomaly.key).toBe('x');
    expect(s.faults).toEqual([{ kind: 'kill', target: 'n1', start: 1.5, end: 3 }]);
  });

  it('accepts a run directory and says valid', async () => {
    expect(JSON.parse(await runCommand(showCommand, ['show', fx.valid.dir, '--json']))).toMatchObject({ kind: 'run', verdict: 'valid', faults: [{ kind: 'kill', target: 'n2', start: 0.004, end: 0.008 }] });
  });

  it('names the problem without a stack trace for an unknown run', async () => {
    const r = await tenrec(['show', 'no-such-run', '--results', fx.results]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^tenrec: no-such-run: no such file or directory, and no run/);
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('tenrec runs', () => {
  it('lists newest first and filters by verdict, bug and campaign', async () => {
    const all = await tenrec(['runs', '--results', fx.results]);
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/INVALID\s+register-lost-ack/);
    expect(lines[2]).toMatch(/valid\s+register\s/);
    const rows = JSON.parse(await runCommand(runsCommand, ['runs', '--results', fx.results, '--verdict', 'invalid', '--bug', 'lost-ack', '--campaign', 'c1', '--json']));
    expect(rows.map((r: { id: number }) => r.id)).toEqual([fx.invalid.id]);
    expect(rows[0]).toMatchObject({ valid: false, settings: { seed: 2 } });
  });

  it('filters by --since and rejects a bad one', async () => {
    const since = await runCommand(runsCommand, ['runs', '--results', fx.results, '--since', '2026-11-28', '--json']);
    expect(JSON.parse(since).map((r: { id: number }) => r.id)).toEqual([fx.invalid.id]);
    await expect(runCommand(runsCommand, ['runs', '--results', fx.results, '--since', 'yesterday-ish'])).rejects.toThrow(UserError);
  });
});

describe('parseSince', () => {
  it('reads durations back from now and absolute dates', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    expect(parseSince('2h', now).toISOString()).toBe('2026-11-28T10:00:00.000Z');
    expect(parseSince('7d', now).toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(parseSince('2026-11-01T00:00:00Z', now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
});
