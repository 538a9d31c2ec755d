// The host-side machinery over the control machine itself (LocalRemote), so it runs without
// root or SSH: nodes start in their own sessions with the run's token, kill and pause reach
// them, a pid that is not ours is never signalled, and the guard removes everything of the run
// when its channel ends, as it does on a host when the runner dies.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { HostNodes } from '../../src/remote/host-nodes.ts';
import { LocalRemote } from '../../src/remote/local.ts';
import { processState, shq, signalOwned } from '../../src/remote/remote.ts';
import { newToken } from '../../src/process/ownership.ts';
import { procState } from '../../src/process/processes.ts';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-host-nodes-'));
const local = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-host-nodes-local-'));
afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
  fs.rmSync(local, { recursive: true, force: true });
});

const until = async (f: () => boolean | Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('nodes on a host', () => {
  it('quotes any value into one shell word', async () => {
    const r = new LocalRemote();
    for (const v of ["it's", 'a b', '$(echo x)', '`x`', '"', '\\', '-n']) {
      expect((await r.exec(`printf %s ${shq(v)}`)).stdout).toBe(v);
    }
  });

  it('starts, pauses, kills and restarts nodes, and the guard clears the host when released', async () => {
    const token = newToken();
    const hosts = new HostNodes(base, token, local);
    const remote = new LocalRemote('h1');
    hosts.place('n1', remote);
    hosts.place('n2', remote);
    await hosts.prepare(['sh']);
    const runDir = hosts.runDir(remote);
    expect(fs.readFileSync(path.join(runDir, '.tenrec-owner'), 'utf8')).toBe(token);
    const cmd = { argv: ['sh', '-c', 'echo started >> out.log; exec sleep 600'] };
    const p1 = await hosts.start('n1', cmd);
    const p2 = await hosts.start('n2', cmd);
    await until(() => hosts.alive('n1'));
    expect(fs.readFileSync(`/proc/${p1}/environ`, 'latin1')).toContain(`TENREC_CLUSTER_TOKEN=${token}`);
    await until(() => fs.existsSync(path.join(hosts.nodeDir('n1'), 'out.log')));

    await hosts.pause('n1');
    await until(() => procState(p1) === 'paused');
    await hosts.resume('n1');
    await until(() => procState(p1) === 'running');
    await hosts.kill('n1');
    expect(procState(p1)).toBe('dead');
    await hosts.restart('n1');
    expect(await hosts.alive('n1')).toBe(true);

    const logs = await hosts.fetchLogs(['out.log']);
    expect(logs.map((l) => l.id).sort()).toEqual(['n1-out.log', 'n2-out.log']);
    expect(fs.readFileSync(logs.find((l) => l.id === 'n1-out.log')!.path, 'utf8')).toBe('started\nstarted\n');

    // The guard, not stopAll: as if the runner had died.
    await hosts.release();
    await until(() => procState(p2) === 'dead');
    expect(fs.existsSync(runDir)).toBe(false);
  });

  it('never signals a process that does not carry the token', async () => {
    const r = new LocalRemote();
    const stranger = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    try {
      expect(await signalOwned(r, stranger.pid!, 'KILL', newToken())).toBe(false);
      expect(await processState(r, stranger.pid!, newToken())).toBeNull();
      expect(procState(stranger.pid!)).not.toBe('dead');
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('refuses a run directory that already exists', async () => {
    const token = newToken();
    const hosts = new HostNodes(base, token, local);
    const remote = new LocalRemote('h9');
    hosts.place('n1', remote);
    fs.mkdirSync(hosts.runDir(remote), { recursive: true });
    await expect(hosts.prepare()).rejects.toThrow(/making/);
  });

  it('names a program a host lacks', async () => {
    const hosts = new HostNodes(base, newToken(), local);
    hosts.place('n1', new LocalRemote('h8'));
    await expect(hosts.prepare(['no-such-program-tenrec'])).rejects.toThrow(/h8: needs no-such-program-tenrec/);
  });
});
