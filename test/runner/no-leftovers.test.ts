// The runner leaves no process behind when it is stopped from outside: SIGTERM (it cleans up and
// exits 3) and SIGKILL (its watchdog kills the nodes). Bad flags fail fast with exit 3, no stack.
import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { alive, sleep, tempResults, until } from './helpers.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/tenrec.js');
const dirs: string[] = [];
const children: ResultPromise[] = [];
let nodePids: number[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const pid of nodePids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone, as it should be */
    }
  }
  nodePids = [];
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

interface Entry {
  runnerPid: number;
  clusterDir: string;
  watchdogPid: number;
}

const REPO = path.resolve(import.meta.dirname, '../..');
const LONG_RUN = ['test', '--time-limit', '60', '--nemesis', 'none', '--no-progress'];

/** Starts a long `tenrec test` and waits until its cluster is up; returns the node and watchdog pids. */
async function startLongRun(resultsDir: string, via: 'node' | 'npx' = 'node', args = LONG_RUN) {
  const child = via === 'node'
    ? execa(process.execPath, [BIN, ...args, '--results-dir', resultsDir], { reject: false })
    : execa('npx', ['tenrec', ...args, '--results-dir', resultsDir], { reject: false, cwd: REPO });
  children.push(child);
  const runtime = path.join(resultsDir, '.runtime');
  const entry = await until(() => {
    if (!fs.existsSync(runtime)) return undefined;
    const f = fs.readdirSync(runtime).find((n) => n.endsWith('.json'));
    if (!f) return undefined;
    const e = JSON.parse(fs.readFileSync(path.join(runtime, f), 'utf8')) as Entry;
    return e.watchdogPid ? e : undefined;
  }, 20_000, 'the runner to register');
  const clusterFile = path.join(entry.clusterDir, 'cluster.json');
  const pids = await until(() => {
    if (!fs.existsSync(clusterFile)) return undefined;
    const nodes = (JSON.parse(fs.readFileSync(clusterFile, 'utf8')) as { nodes: { pid: number }[] }).nodes;
    return nodes.length === 3 && nodes.every((n) => n.pid > 0 && alive(n.pid)) ? nodes.map((n) => n.pid) : undefined;
  }, 30_000, 'three running nodes');
  nodePids = pids;
  return { child, pids, entry, runtime };
}

describe('no process outlives the runner', () => {
  it('SIGTERM: the runner stops every node and its watchdog, then exits 3', async () => {
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    const { child, pids, entry, runtime } = await startLongRun(resultsDir);
    await sleep(1000); // let the workload start
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode).toBe(3);
    expect(pids.filter(alive)).toEqual([]);
    await until(() => !alive(entry.watchdogPid), 3000, 'the watchdog to exit');
    expect(fs.readdirSync(runtime)).toEqual([]);
    expect(fs.existsSync(entry.clusterDir)).toBe(false);
  });

  it('through npx: SIGTERM to npx (which does not forward it) still stops the runner and every node', async () => {
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    const { child, pids, entry, runtime } = await startLongRun(resultsDir, 'npx');
    // npx → sh → node: the runner is a grandchild, and npm does not pass the signal on.
    expect(entry.runnerPid).not.toBe(child.pid);
    await sleep(1000);
    child.kill('SIGTERM');
    await until(() => !alive(entry.runnerPid), 15_000, 'the orphaned runner to stop');
    const r = await child;
    expect(r.stderr).toContain('is gone: stopping as on SIGTERM');
    // The runner's own clean-up ran (not the watchdog's): it said so and unregistered itself.
    expect(r.stderr).toContain('stopping the cluster');
    expect(pids.filter(alive)).toEqual([]);
    await until(() => !alive(entry.watchdogPid), 3000, 'the watchdog to exit');
    expect(fs.readdirSync(runtime)).toEqual([]);
    expect(fs.existsSync(entry.clusterDir)).toBe(false);
  }, 60_000);

  it('SIGKILL: the watchdog kills the nodes of a runner that died', async () => {
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    const { child, pids, entry } = await startLongRun(resultsDir);
    child.kill('SIGKILL');
    await child;
    await until(() => pids.every((p) => !alive(p)), 5000, 'the nodes to die');
    await until(() => !alive(entry.watchdogPid), 3000, 'the watchdog to exit');
    expect(fs.existsSync(entry.clusterDir)).toBe(false);
  });

  it("SIGKILL under clock faults: the watchdog also removes what libfaketime left in /dev/shm for the nodes", async () => {
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    const { child, pids, entry } = await startLongRun(resultsDir, 'node', ['test', '--time-limit', '60', '--nemesis', 'clock', '--no-progress']);
    const shm = (pid: number) => [`/dev/shm/faketime_shm_${pid}`, `/dev/shm/sem.faketime_sem_${pid}`];
    await until(() => pids.every((p) => shm(p).every((f) => fs.existsSync(f))), 5000, "libfaketime's files for every node");
    child.kill('SIGKILL');
    await child;
    await until(() => pids.every((p) => !alive(p)), 5000, 'the nodes to die');
    await until(() => !alive(entry.watchdogPid), 3000, 'the watchdog to exit');
    expect(pids.flatMap(shm).filter((f) => fs.existsSync(f))).toEqual([]);
  }, 60_000);

  it('bad flags: exit 3 with a message naming the flag, no stack trace, no cluster started', async () => {
    const resultsDir = tempResults();
    dirs.push(resultsDir);
    const [r, r2] = await Promise.all([
      execa(process.execPath, [BIN, 'test', '--workload', 'bogus', '--results-dir', resultsDir], { reject: false }),
      execa(process.execPath, [BIN, 'test', '--nemesis', 'kill,meteor', '--results-dir', resultsDir], { reject: false }),
    ]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('--workload');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r2.exitCode).toBe(3);
    expect(r2.stderr).toContain('meteor');
    expect(fs.existsSync(path.join(resultsDir, '.runtime'))).toBe(false);
  });
});
