// A runner that died without cleaning up (and whose watchdog died too) leaves a registry entry;
// the next run reaps its processes and files.
import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { reapLeftovers, runtimeDir } from '../../src/runner/runtime-registry.ts';
import { alive, tempResults, until } from './helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('reaping leftovers of a dead runner', () => {
  it('stops the recorded node processes and removes the runtime files', async () => {
    const resultsDir = tempResults();
    const clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-run-reap-'));
    cleanups.push(() => fs.rmSync(resultsDir, { recursive: true, force: true }), () => fs.rmSync(clusterDir, { recursive: true, force: true }));
    const nodeDir = path.join(clusterDir, 'n1');
    fs.mkdirSync(nodeDir);
    // A stand-in for an orphaned node: a detached process whose command line names its node dir.
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', nodeDir], { detached: true, stdio: 'ignore' });
    orphan.unref();
    cleanups.push(() => { try { process.kill(orphan.pid!, 'SIGKILL'); } catch { /* gone */ } });
    fs.writeFileSync(path.join(clusterDir, 'cluster.json'), JSON.stringify({
      version: 1, dir: clusterDir, members: ['n1'], bugs: [], env: {},
      nodes: [{ id: 'n1', pid: orphan.pid, url: 'http://127.0.0.1:1', httpPort: 1, peerPort: 2, peers: {}, dir: nodeDir, extraArgs: [] }],
    }));
    // A runner pid that is surely dead: a child that already exited.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    fs.mkdirSync(runtimeDir(resultsDir), { recursive: true });
    const entry = path.join(runtimeDir(resultsDir), 'run-dead.json');
    fs.writeFileSync(entry, JSON.stringify({ runnerPid: dead.pid, clusterDir, startedAt: new Date().toISOString() }));
    // An entry of a live runner (this process) is left alone.
    const live = path.join(runtimeDir(resultsDir), 'run-live.json');
    fs.writeFileSync(live, JSON.stringify({ runnerPid: process.pid, clusterDir: '/nonexistent', startedAt: new Date().toISOString() }));

    expect(alive(orphan.pid!)).toBe(true);
    expect(await reapLeftovers(resultsDir)).toBe(1);
    await until(() => !alive(orphan.pid!), 5000, 'the orphan to be stopped');
    expect(fs.existsSync(entry)).toBe(false);
    expect(fs.existsSync(clusterDir)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });
});
