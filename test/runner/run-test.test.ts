// Integration: real clusters, real faults, short runs. Each run stops every process it started;
// the afterEach double-checks by scanning /proc for anything mentioning the run's files.
import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTest } from '../../src/runner/run-test.ts';
import { getRun } from '../../src/store/index-db.ts';
import type { HistoryEvent } from '../../checker/types.ts';
import { alive, tempResults, until } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function readHistory(dir: string): HistoryEvent[] {
  return fs.readFileSync(path.join(dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HistoryEvent);
}

describe('tenrec test against a real cluster', () => {
  it('correct cluster under kill, pause and partition: valid, every fault kind, reads after faults, nothing left running', { timeout: 120_000 }, async () => {
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    const o = await runTest({
      nemesis: ['kill', 'pause', 'partition'], nemesisInterval: 1.2, timeLimit: 12, seed: 11,
      concurrency: 6, rate: 150, keys: 3, quiesce: 1, resultsDir, progress: false,
    });
    expect(o.valid).toBe(true);
    expect(o.exitCode).toBe(0);
    const h = readHistory(o.dir);
    const faults = new Set(h.filter((e) => e.process === 'nemesis').map((e) => e.f));
    for (const f of ['start-kill', 'stop-kill', 'start-pause', 'stop-pause', 'start-partition', 'stop-partition']) expect(faults).toContain(f);
    expect(o.counts.okReadsAfterFaults).toBeGreaterThan(20);
    expect(o.counts.finalReadsOk).toBe(o.counts.finalReadsPlanned);
    expect(o.counts.ok).toBeGreaterThan(300);
    // Times are non-decreasing and every client event names a node.
    for (let i = 1; i < h.length; i++) expect(h[i]!.time).toBeGreaterThanOrEqual(h[i - 1]!.time);
    expect(h.filter((e) => e.process !== 'nemesis' && e.type !== 'invoke').every((e) => typeof e.node === 'string')).toBe(true);
    // The run directory is complete and indexed.
    for (const f of ['history.jsonl', 'results.json', 'test.json', 'report.html', 'logs/n1-node.log']) {
      expect(fs.existsSync(path.join(o.dir, f))).toBe(true);
    }
    const results = JSON.parse(fs.readFileSync(path.join(o.dir, 'results.json'), 'utf8'));
    expect(results.valid).toBe(true);
    const test = JSON.parse(fs.readFileSync(path.join(o.dir, 'test.json'), 'utf8'));
    expect(test.seed).toBe(11);
    expect(test.rerun).toContain('--seed 11');
    const row = await getRun(resultsDir, o.id);
    expect(row).toMatchObject({ valid: 'true', seed: 11, nodes: 3, workload: 'counter', ops: o.counts.ops });
    expect(row!.faults).toMatch(/^(?=.*kill×\d)(?=.*pause×\d)(?=.*partition×\d)/);
    // No node, proxy client or watchdog survives the run.
    expect(o.pids.length).toBeGreaterThanOrEqual(4);
    await until(() => o.pids.every((p) => !alive(p)), 3000, 'every process of the run to be gone');
    expect(fs.readdirSync(path.join(resultsDir, '.runtime'))).toEqual([]);
  });

  it('a short run with the default interval still gets every fault kind it asked for', { timeout: 120_000 }, async () => {
    // --time-limit 6 with the default 5 s interval: the old schedule planned no fault at all in
    // most such runs. The interval now shrinks to fit one turn of each kind.
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    // While the history is checked and stored, the run's cluster dir is still registered (so a
    // runner killed then leaves nothing its watchdog or the next run would not reap), and no
    // side directory of logs exists (the one a SIGKILL used to leave in the temp dir).
    let during: { entries: number; logDirs: string[] } | undefined;
    const before = new Set(fs.readdirSync(os.tmpdir()));
    const onDir = () => {
      during = {
        entries: fs.readdirSync(path.join(resultsDir, '.runtime')).length,
        logDirs: fs.readdirSync(os.tmpdir()).filter((n) => /^tenrec-run-.*-logs-/.test(n) && !before.has(n)),
      };
    };
    const o = await runTest({ nemesis: ['kill', 'partition'], timeLimit: 6, seed: 3, concurrency: 4, rate: 80, keys: 2, quiesce: 0.5, resultsDir, progress: false }, { onDir });
    expect(during).toEqual({ entries: 1, logDirs: [] });
    expect(fs.readdirSync(path.join(resultsDir, '.runtime'))).toEqual([]);
    expect(o.counts.faults.kill ?? 0).toBeGreaterThanOrEqual(1);
    expect(o.counts.faults.partition ?? 0).toBeGreaterThanOrEqual(1);
    expect(o.valid).toBe(true);
    const results = JSON.parse(fs.readFileSync(path.join(o.dir, 'results.json'), 'utf8'));
    expect(results.nemesisIntervalUsed).toBeLessThan(5);
    expect(results.faultsMissing).toBeUndefined();
  });

  it('the set workload runs end to end on the Paxos cluster: adds and whole-set reads, set-full beside linearizability', { timeout: 120_000 }, async () => {
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    const o = await runTest({ workload: 'set', nemesis: ['kill'], timeLimit: 5, seed: 4, concurrency: 4, rate: 120, keys: 2, quiesce: 0.5, resultsDir, progress: false });
    expect(o.valid).toBe(true);
    const h = readHistory(o.dir);
    const okAdds = h.filter((e) => e.type === 'ok' && e.f === 'add');
    const okReads = h.filter((e) => e.type === 'ok' && e.f === 'read');
    expect(okAdds.length).toBeGreaterThan(50);
    expect(okReads.some((e) => Array.isArray(e.value) && (e.value as number[]).length > 5)).toBe(true);
    expect(o.result.model).toBe('set');
    expect(o.quick).toHaveLength(1);
    expect(o.quick[0]).toMatchObject({ checker: 'set-full', valid: true });
    expect(o.quick[0]!.summary).toMatch(/^\d+ stable, 0 lost, 0 stale/);
    const results = JSON.parse(fs.readFileSync(path.join(o.dir, 'results.json'), 'utf8'));
    expect(results.quick[0].checker).toBe('set-full');
  });

  it('--max-recovery fails a run that did not recover in time after a healed fault, naming it', { timeout: 120_000 }, async () => {
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    // 1 ms is less than any real recovery takes, so the first healed kill must fail the run.
    const o = await runTest({ nemesis: ['kill'], nemesisInterval: 1, timeLimit: 4, seed: 9, concurrency: 4, rate: 80, keys: 2, quiesce: 0.5, maxRecovery: 0.001, resultsDir, progress: false });
    expect(o.recovery.filter((r) => !r.atEnd).length).toBeGreaterThanOrEqual(1);
    expect(o.valid).toBe(false);
    expect(o.exitCode).toBe(1);
    expect(o.anomalyText).toMatch(/^liveness: did not recover within 0\.001 s after kill \(healed at \d+\.\d{3} s\)/);
    const results = JSON.parse(fs.readFileSync(path.join(o.dir, 'results.json'), 'utf8'));
    expect(results.livenessProblem).toMatch(/after kill/);
    expect(results.result.valid).toBe(true); // safety held: it is the liveness limit that failed
  });
});
