// fsync errors through libfiu on real nodes: a correct node stops at its first failed fsync and
// comes back on what it had made durable; a node with `ignore-fsync-error` carries on and
// acknowledges writes, which the heal takes away again (its log goes back to what it held when
// the errors began), so an acknowledged write is lost: what the nemesis must make visible. Then
// the whole runner: the correct build stays valid under `--nemesis fsync`, the bug is caught.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaxosDb } from '../../src/systems/paxos/db.ts';
import { newToken } from '../../src/process/ownership.ts';
import { runTest } from '../../src/runner/run-test.ts';
import { alive, tempResults, until } from '../runner/helpers.ts';
import { missingCapabilities } from '../../src/system/capabilities.ts';
import type { DB } from '../../src/system/db.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function startDb(bugs: 'ignore-fsync-error'[]): Promise<PaxosDb> {
  const dir = mkdtempSync(join(tmpdir(), 'tenrec-fsync-'));
  const db = new PaxosDb({ nodes: 3, dir, bugs, token: newToken(), syncFaults: true });
  cleanup.push(async () => {
    await db.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  await db.setup();
  return db;
}

async function put(db: PaxosDb, value: number): Promise<number> {
  const leader = (await db.leader())!;
  const url = db.nodes().find((n) => n.id === leader)!.url;
  const r = await fetch(`${url}/kv/x`, { method: 'PUT', body: JSON.stringify({ value }), signal: AbortSignal.timeout(3000) }).catch(() => undefined);
  await r?.body?.cancel();
  return r?.status ?? 0;
}

async function read(db: PaxosDb): Promise<number> {
  await db.waitHealthy(20_000);
  const leader = (await db.leader())!;
  const r = await fetch(`${db.nodes().find((n) => n.id === leader)!.url}/kv/x`);
  return ((await r.json()) as { value: number }).value;
}


describe('fsync errors', () => {
  it('are refused before the run for a system that cannot take them', () => {
    const plain: DB = { setup: async () => {}, teardown: async () => {}, nodes: () => [], logFiles: () => [], startedPids: () => [] };
    expect(missingCapabilities('mine', plain, ['fsync'])).toBe('--nemesis fsync needs fsync errors on a node (SyncFaults), which --db mine does not offer');
    expect(missingCapabilities('paxos', new PaxosDb({ nodes: 3, dir: '/nonexistent', bugs: [] }), ['fsync'])).toBeUndefined();
  });

  it('a correct node stops at its first failed fsync and keeps what it acknowledged', { timeout: 90_000 }, async () => {
    const db = await startDb([]);
    expect(await put(db, 1)).toBe(200);
    const ids = db.nodes().map((n) => n.id);
    for (const id of ids) await db.failSync(id);
    // Nothing can become durable now, so nothing is acknowledged; the nodes stop instead.
    expect(await put(db, 2)).not.toBe(200);
    await until(() => db.pids().length === 0, 10_000, 'every node to stop at a failed fsync');
    for (const id of ids) expect(db.readLog(id)).toMatch(/fatal: .*EIO.*(fdatasync|fsync)/);
    for (const id of ids) expect((await db.healSync(id)).carriedOn).toBe(false);
    expect(await read(db)).toBe(1);
  });

  it('with ignore-fsync-error the nodes carry on, and the heal takes back what they acknowledged', { timeout: 90_000 }, async () => {
    const db = await startDb(['ignore-fsync-error']);
    expect(await put(db, 1)).toBe(200);
    const ids = db.nodes().map((n) => n.id);
    for (const id of ids) await db.failSync(id);
    expect(await put(db, 2)).toBe(200); // acknowledged though no fsync succeeded
    expect(db.pids().length).toBe(3);
    expect(db.readLog(ids[0]!) + db.readLog(ids[1]!) + db.readLog(ids[2]!)).toMatch(/bug ignore-fsync-error: fsync failed/);
    const healed = [];
    for (const id of ids) healed.push(await db.healSync(id));
    expect(healed.every((h) => h.carriedOn)).toBe(true);
    expect(healed.some((h) => h.rolledBack)).toBe(true);
    // The acknowledged write is gone: the logs went back to before it.
    expect(await read(db)).toBe(1);
  });
});

describe('fsync errors in a run', () => {
  it('the correct build stays valid, and ignore-fsync-error is caught', { timeout: 180_000 }, async () => {
    const resultsDir = tempResults();
    cleanup.push(() => rmSync(resultsDir, { recursive: true, force: true }));
    const ok = await runTest({ nemesis: ['fsync'], seed: 3, timeLimit: 10, nemesisInterval: 2, quiesce: 1, resultsDir, progress: false });
    await until(() => ok.pids.every((p) => !alive(p)), 3000, 'every process of the run to be gone');
    expect(ok.valid).toBe(true);
    expect(ok.exitCode).toBe(0);
    const bug = await runTest({ bug: 'ignore-fsync-error', seed: 3, timeLimit: 10, quiesce: 1, resultsDir, progress: false });
    await until(() => bug.pids.every((p) => !alive(p)), 3000, 'every process of the run to be gone');
    // --bug alone picks its nemesis (fsync) and load.
    expect(bug.valid).toBe(false);
    expect(bug.exitCode).toBe(1);
  });
});
