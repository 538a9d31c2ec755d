// A runner that died without cleaning up (and whose watchdog died too) leaves a registry entry;
// the next run reaps its processes and files, and only those it can prove are the run's.
import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { makeClusterDir, reapLeftovers, runtimeDir } from '../../src/runner/runtime-registry.ts';
import { newToken, TOKEN_ENV } from '../../src/process/ownership.ts';
import { alive, deadPid, tempResults, until } from './helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});


describe('reaping leftovers of a dead runner', () => {
  it('stops the processes carrying the run token and removes the marked cluster dir and the entry', async () => {
    const resultsDir = tempResults();
    const token = newToken();
    const clusterDir = makeClusterDir(token);
    cleanups.push(() => fs.rmSync(resultsDir, { recursive: true, force: true }), () => fs.rmSync(clusterDir, { recursive: true, force: true }));
    // A stand-in for an orphaned node: a detached process started with the run's token.
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore', env: { ...process.env, [TOKEN_ENV]: token } });
    orphan.unref();
    cleanups.push(() => { try { process.kill(orphan.pid!, 'SIGKILL'); } catch { /* gone */ } });
    fs.mkdirSync(runtimeDir(resultsDir), { recursive: true });
    const entry = path.join(runtimeDir(resultsDir), 'run-dead.json');
    fs.writeFileSync(entry, JSON.stringify({ runnerPid: await deadPid(), clusterDir, token, startedAt: new Date().toISOString() }));
    // An entry of a live runner (this process) is left alone.
    const live = path.join(runtimeDir(resultsDir), 'run-live.json');
    fs.writeFileSync(live, JSON.stringify({ runnerPid: process.pid, clusterDir: '/nonexistent', token: newToken(), startedAt: new Date().toISOString() }));

    expect(alive(orphan.pid!)).toBe(true);
    expect(await reapLeftovers(resultsDir, () => {})).toBe(1);
    await until(() => !alive(orphan.pid!), 5000, 'the orphan to be stopped');
    expect(fs.existsSync(entry)).toBe(false);
    expect(fs.existsSync(clusterDir)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });
});
