// etcd (Debian's etcd-server, installed by the test set-up) as a system under test: the
// per-member proxies really cut pairs of members, and a run under every fault comes out valid.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EtcdDb } from '../../src/systems/etcd/db.ts';
import { range } from '../../src/systems/etcd/gateway.ts';
import { newToken } from '../../src/process/ownership.ts';
import { runTest } from '../../src/runner/run-test.ts';
import { alive, tempResults, until as waitFor } from '../runner/helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function until(f: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await f()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('etcd', () => {
  it('isolating the leader through the member proxies moves leadership; the cut member cannot serve a linearizable read; healing reunites them', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-etcd-'));
    dirs.push(dir);
    const db = new EtcdDb({ nodes: 3, dir, token: newToken() });
    try {
      await db.setup();
      const old = await db.leader();
      expect(old).toMatch(/^n[123]$/);
      const isolated = db.nodes().find((n) => n.id === old)!;
      db.net.blackhole((from, to) => from === old || to === old);
      // The others elect a new leader among themselves.
      const others = db.nodes().filter((n) => n.id !== old);
      expect(await until(async () => {
        const l = await Promise.all(others.map(async () => db.leader()));
        return l.some((x) => x !== null && x !== old);
      }, 20_000)).toBe(true);
      // A linearizable read through the isolated member cannot complete; through the others it does.
      const cut = await range(isolated.url, 'k', false, 1500);
      expect(cut.ok === undefined).toBe(true);
      expect((await range(others[0]!.url, 'k', false, 3000)).error).toBeUndefined();
      db.net.heal();
      expect(await db.waitHealthy(20_000)).toBe(true);
      expect((await range(isolated.url, 'k', false, 3000)).error).toBeUndefined();
    } finally {
      await db.teardown();
    }
    for (const pid of db.startedPids()) expect(alive(pid)).toBe(false);
  });

  it('a run under kill, pause and partition is valid, and stops every member', { timeout: 180_000 }, async () => {
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    const o = await runTest({ db: 'etcd', nemesis: ['kill', 'pause', 'partition'], nemesisInterval: 1.5, timeLimit: 15, seed: 21, quiesce: 1, resultsDir, progress: false });
    expect(o.valid).toBe(true);
    expect(Object.keys(o.counts.faults).sort()).toEqual(['kill', 'partition', 'pause']);
    expect(o.counts.finalReadsOk).toBe(o.counts.finalReadsPlanned);
    expect(fs.readdirSync(path.join(o.dir, 'logs'))).toContain('n1.log');
    // The members at once; the run's watchdog exits on its own a moment later.
    await waitFor(() => o.pids.every((p) => !alive(p)), 3000, 'every process of the run to be gone');
  });
});
