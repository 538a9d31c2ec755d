import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/tenrec.js');
const dir = mkdtempSync(join(tmpdir(), 'tenrec-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sim = (...args: string[]) => execa(bin, ['sim', ...args], { reject: false, timeout: 60_000, cwd: dir });

describe('tenrec sim', () => {
  it('exits 0 when every seed passes and reports a JSON summary', async () => {
    const r = await sim('--seeds', '1..2', '--json');
    expect(r.exitCode).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ seeds: 2, failing: 0, checker: 'linearizability' });
  });

  // (That a replay reproduces the same history bytes is tested in-process in sim.test.ts.)
  it('exits 1 on a violation, names the seed and kind, prints a replay command and writes the history', async () => {
    const r = await sim('--seeds', '1', '--bug', 'no-dedup', '--history', 'h.jsonl');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/seed 1: not linearizable/);
    expect(r.stdout).toMatch(/replay: tenrec sim --seeds 1 --bug no-dedup/);
    const lines = readFileSync(join(dir, 'h.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(50);
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'invoke' });
  });

  it('exits 3 without a stack trace on bad input', async () => {
    const r = await sim('--seeds', '9..1');
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^tenrec: --seeds: seed range 9\.\.1 runs backwards/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
