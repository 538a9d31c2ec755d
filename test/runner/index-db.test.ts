import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openIndex, getRun, listRuns, type RunRow } from '../../src/store/index-db.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function row(resultsDir: string, n: number, over: Partial<RunRow> = {}): RunRow {
  return {
    name: 'counter', dir: path.join(resultsDir, 'counter', `2026-01-0${n}T00-00-00Z`),
    started_at: `2026-01-0${n}T00:00:00.000Z`, finished_at: `2026-01-0${n}T00:00:30.000Z`,
    valid: 'true', workload: 'counter', nemesis: 'kill,partition', faults: 'kill×1 partition×1', nodes: 3, bug: null, seed: n,
    ops: 100 * n, ok: 90, fail: 5, info: 5, duration_ms: 30_000, campaign_id: null,
    settings_json: JSON.stringify({ seed: n }), ...over,
  };
}

describe('run index (SQLite)', () => {
  it('round-trips rows and filters them newest first', async () => {
    const rd = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-idx-'));
    dirs.push(rd);
    const idx = await openIndex(rd);
    const id1 = await idx.insertRun(row(rd, 1));
    await idx.insertRun(row(rd, 2, { valid: 'false', bug: 'local-read', campaign_id: 'c1' }));
    await idx.insertRun(row(rd, 3, { valid: 'unknown', campaign_id: 'c1' }));
    expect((await idx.listRuns()).map((r) => r.seed)).toEqual([3, 2, 1]);
    expect((await idx.listRuns({ verdict: 'invalid' })).map((r) => r.bug)).toEqual(['local-read']);
    expect((await idx.listRuns({ campaign: 'c1', limit: 1 })).map((r) => r.seed)).toEqual([3]);
    expect((await idx.listRuns({ since: '2026-01-02T00:00:00.000Z' })).length).toBe(2);
    const got = await idx.getRun(id1);
    expect(got).toMatchObject({ seed: 1, valid: 'true', bug: null, nodes: 3, ops: 100 });
    await idx.close();
    // Lookup by directory (absolute, or its last part) through the one-shot helpers.
    expect((await getRun(rd, row(rd, 2).dir))?.seed).toBe(2);
    expect((await getRun(rd, '2026-01-03T00-00-00Z'))?.seed).toBe(3);
    expect(await getRun(rd, 'nope')).toBeUndefined();
    expect((await listRuns(rd, { bug: 'local-read' })).length).toBe(1);
  });
});
