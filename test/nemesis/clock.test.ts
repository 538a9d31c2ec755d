// Wall-clock faults through libfaketime on real nodes: an offset set for one node moves that
// node's wall clock (seen in its HTTP Date header) and no other's, and goes back at 0; nothing
// libfaketime made is left in /dev/shm after teardown; the correct build stays valid under the
// clock nemesis (it times everything on the monotonic clock); a system without the capability
// is refused.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaxosDb } from '../../src/systems/paxos/db.ts';
import { FakeTime } from '../../src/systems/paxos/faketime.ts';
import { newToken } from '../../src/process/ownership.ts';
import { runTest } from '../../src/runner/run-test.ts';
import { missingCapabilities } from '../../src/system/capabilities.ts';
import type { DB } from '../../src/system/db.ts';
import { alive, tempResults, until } from '../runner/helpers.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

function nemesisEvents(runDir: string): { f: string; value: unknown }[] {
  return readFileSync(join(runDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.process === 'nemesis');
}

/** How far ahead of ours the node's wall clock is, in seconds, from its HTTP Date header. */
async function skewOf(url: string): Promise<number> {
  const r = await fetch(`${url}/status`);
  await r.body?.cancel();
  return (Date.parse(r.headers.get('date')!) - Date.now()) / 1000;
}

describe('clock faults', () => {
  it('move one node’s wall clock and no other’s, and leave nothing behind', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenrec-clock-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = new PaxosDb({ nodes: 3, dir, bugs: [], token: newToken(), clockFaults: true });
    try {
      await db.setup();
      const [n1, n2] = db.nodes();
      expect(Math.abs(await skewOf(n1!.url))).toBeLessThan(2);
      await db.setClockOffset('n1', 100_000);
      // The Date header is cached for up to a second.
      await new Promise((r) => setTimeout(r, 1100));
      expect(await skewOf(n1!.url)).toBeGreaterThan(98);
      expect(Math.abs(await skewOf(n2!.url))).toBeLessThan(2);
      await db.setClockOffset('n1', 0);
      await new Promise((r) => setTimeout(r, 1100));
      expect(Math.abs(await skewOf(n1!.url))).toBeLessThan(2);
      // A node killed with its clock moved still comes back (and serves).
      await db.setClockOffset('n2', -30_000);
      await db.kill('n2');
      await db.restart('n2');
      expect(await db.waitHealthy(20_000)).toBe(true);
    } finally {
      await db.teardown();
    }
    const pids = db.startedPids();
    expect(pids.length).toBeGreaterThanOrEqual(4);
    for (const pid of pids) for (const f of FakeTime.leftovers(pid)) expect(existsSync(f)).toBe(false);
  });

  it('are refused for a system that cannot take them', () => {
    const plain: DB = { setup: async () => {}, teardown: async () => {}, nodes: () => [], logFiles: () => [], startedPids: () => [] };
    expect(missingCapabilities('mine', plain, ['clock'])).toBe("--nemesis clock needs setting a node's wall clock (ClockFaults), which --db mine does not offer");
  });

  it('leave the correct build valid, leases on: it times leadership and leases on the monotonic clock', { timeout: 120_000 }, async () => {
    const resultsDir = tempResults();
    cleanup.push(() => rmSync(resultsDir, { recursive: true, force: true }));
    // The bug's own load and faults (split turns among them), with the correct lease.
    const o = await runTest({ nemesis: ['clock', 'kill'], dbOptions: ['leases'], seed: 4, timeLimit: 12, nemesisInterval: 1.5, opTimeoutMs: 200, concurrency: 30, rate: 1000, quiesce: 1, resultsDir, progress: false });
    await until(() => o.pids.every((p) => !alive(p)), 3000, 'every process of the run to be gone');
    expect(nemesisEvents(o.dir).filter((e) => e.f === 'start-clock').map((e) => (e.value as { mode: string }).mode)).toContain('split');
    expect(o.valid).toBe(true);
    expect(o.exitCode).toBe(0);
  });

  it('catch a lease timed by the wall clock (bug lease-wall-clock, with the faults it brings)', { timeout: 240_000 }, async () => {
    const resultsDir = tempResults();
    cleanup.push(() => rmSync(resultsDir, { recursive: true, force: true }));
    // A run's detection is a rate: the test passes at the first of three seeds that catches it.
    const tried: string[] = [];
    for (const seed of [1, 2, 3]) {
      const o = await runTest({ bug: 'lease-wall-clock', seed, timeLimit: 10, quiesce: 1, resultsDir, progress: false });
      await until(() => o.pids.every((p) => !alive(p)), 3000, 'every process of the run to be gone');
      tried.push(`seed ${seed}: ${o.valid}`);
      if (o.valid === false) {
        expect(o.result.valid).toBe(false); // the history itself: a stale read, not a liveness failure
        expect(o.exitCode).toBe(1);
        return;
      }
    }
    expect.fail(`not caught: ${tried.join(', ')}`);
  });
});
