// Disk corruption on real nodes: a bit flip in, or a cut off the end of, a stopped node's
// write-ahead log makes it refuse to start (exit 3, naming the file), the stop puts the log back
// and the node serves again; a whole run under corrupt,kill stays valid and records every turn.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaxosDb } from '../../src/systems/paxos/db.ts';
import { newToken } from '../../src/process/ownership.ts';
import { runTest } from '../../src/runner/run-test.ts';
import { missingCapabilities } from '../../src/system/capabilities.ts';
import type { DB } from '../../src/system/db.ts';
import { alive, tempResults, until } from '../runner/helpers.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function write(url: string, key: string, value: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const r = await fetch(`${url}/kv/${key}`, { method: 'PUT', body: JSON.stringify({ value }), headers: { 'content-type': 'application/json' } }).catch(() => null);
    if (r?.ok) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`write ${key} failed`);
}

describe('disk corruption', () => {
  it('a damaged log makes the node refuse to start; the stop restores it and it serves again', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenrec-corrupt-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = new PaxosDb({ nodes: 3, dir, bugs: [], token: newToken() });
    cleanup.push(() => db.teardown());
    await db.setup();
    const url = db.nodes()[0]!.url;
    for (let i = 0; i < 20; i++) await write(url, `k${i % 3}`, i);
    const victim = db.nodes()[1]!.id;
    for (const damage of [{ mode: 'bitflip' as const, at: [0.0001, 0.5] }, { mode: 'truncate' as const, bytes: 300 }]) {
      const c = await db.corruptDisk(victim, damage);
      expect(c.file).toBe('wal.log');
      expect(c.refused, damage.mode).toMatch(/^tenrec node: write-ahead log .*wal\.log is corrupt at/);
      expect(c.detail).toMatch(damage.mode === 'bitflip' ? /^flipped bits at byte \d+\[\d\], \d+\[\d\]$/ : /^cut the last 300 of \d+ bytes$/);
      expect(db.pids()).toHaveLength(2); // it stays down
      await write(url, 'k9', 9); // and the others go on without it
      expect(await db.restoreDisk(victim)).toEqual({ restored: true });
      expect(await db.waitAllServing(20_000)).toBe(true);
      expect(db.pids()).toHaveLength(3);
    }
    // Nothing to restore for a node that is not down on a damaged log.
    expect(await db.restoreDisk(victim)).toEqual({ restored: false });
  });

  it('are refused for a system that cannot take them', () => {
    const plain: DB = { setup: async () => {}, teardown: async () => {}, nodes: () => [], logFiles: () => [], startedPids: () => [] };
    expect(missingCapabilities('mine', plain, ['corrupt'])).toBe("--nemesis corrupt needs damaging a stopped node's durable files (DiskFaults), which --db mine does not offer");
  });

  it('leave the correct build valid, every turn recorded with what the node made of it', { timeout: 120_000 }, async () => {
    const resultsDir = tempResults();
    cleanup.push(() => rmSync(resultsDir, { recursive: true, force: true }));
    const o = await runTest({ nemesis: ['corrupt', 'kill'], seed: 3, timeLimit: 12, nemesisInterval: 1.5, quiesce: 1, resultsDir, progress: false });
    await until(() => o.pids.every((p) => !alive(p)), 3000, 'every process of the run to be gone');
    const events = readFileSync(join(o.dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.process === 'nemesis');
    const starts = events.filter((e) => e.f === 'start-corrupt');
    expect(starts.length).toBeGreaterThan(0);
    for (const s of starts) {
      expect(s.value).toMatchObject({ file: 'wal.log' });
      expect(['bitflip', 'truncate']).toContain(s.value.mode);
    }
    expect(events.filter((e) => e.f === 'stop-corrupt')).toHaveLength(starts.length);
    expect(o.nemesisErrors).toEqual([]);
    expect(o.valid).toBe(true);
    expect(o.exitCode).toBe(0);
  });
});
