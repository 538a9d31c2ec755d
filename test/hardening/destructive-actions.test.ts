// Files never drive destructive actions: a crafted registry entry or cluster.json cannot make
// tenrec delete a directory or signal a process it did not create (issue: "trust nothing read
// from disk"). Each case failed before ownership tokens: the reaper deleted any `clusterDir` and
// SIGKILLed processes under it, `cluster start` deleted any node `dir`, and `cluster stop` killed
// any process whose argv named a path inside the cluster dir.
import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { reapLeftovers, runtimeDir } from '../../src/runner/runtime-registry.ts';
import { newToken, processStartTime } from '../../src/process/ownership.ts';
import { openCluster, startCluster } from '../../src/systems/paxos/cluster/cluster.ts';
import { procState } from '../../src/process/processes.ts';
import { deadPid, tempResults } from '../runner/helpers.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/tenrec.js');
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function victimDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-victim-'));
  fs.writeFileSync(path.join(d, 'precious.txt'), 'do not delete');
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/** An unrelated long-running process whose command line names `p` (an existing file). */
function bystander(p: string) {
  if (!fs.existsSync(p)) fs.writeFileSync(p, '');
  const c = spawn('tail', ['-f', p], { stdio: 'ignore', detached: true });
  c.unref();
  cleanups.push(() => { try { process.kill(c.pid!, 'SIGKILL'); } catch { /* gone */ } });
  return c.pid!;
}


describe('crafted files drive no destructive action', () => {
  it('a registry entry naming a foreign directory: the reaper deletes nothing and signals nothing', async () => {
    const resultsDir = tempResults();
    cleanups.push(() => fs.rmSync(resultsDir, { recursive: true, force: true }));
    const victim = victimDir();
    const pid = bystander(path.join(victim, 'precious.txt'));
    // Even a tenrec-run-* dir in the temp dir is not ours without the marker holding the token.
    const lookalike = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-run-'));
    cleanups.push(() => fs.rmSync(lookalike, { recursive: true, force: true }));
    fs.mkdirSync(runtimeDir(resultsDir), { recursive: true });
    const entries = [
      { runnerPid: await deadPid(), clusterDir: victim, token: newToken(), startedAt: '' },
      { runnerPid: await deadPid(), clusterDir: lookalike, token: newToken(), startedAt: '' },
      { runnerPid: await deadPid(), clusterDir: victim }, // the old format: no token at all
    ];
    entries.forEach((e, i) => fs.writeFileSync(path.join(runtimeDir(resultsDir), `run-${i}.json`), JSON.stringify(e)));
    fs.writeFileSync(path.join(runtimeDir(resultsDir), 'run-junk.json'), '{not json');
    const warnings: string[] = [];
    expect(await reapLeftovers(resultsDir, (l) => warnings.push(l))).toBe(0);
    expect(fs.readFileSync(path.join(victim, 'precious.txt'), 'utf8')).toBe('do not delete');
    expect(fs.existsSync(lookalike)).toBe(true);
    expect(procState(pid)).toBe('running');
    expect(warnings).toHaveLength(4);
    expect(warnings.join('\n')).toContain('nothing was deleted or signalled');
    // The entries are left for a person to look at, not deleted either.
    expect(fs.readdirSync(runtimeDir(resultsDir))).toHaveLength(4);
  });

  it('cluster start never deletes a node dir tenrec did not make, wherever cluster.json points', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-crafted-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const victim = victimDir();
    // A crafted cluster.json pointing a node's dir elsewhere is refused as malformed.
    fs.writeFileSync(path.join(dir, 'cluster.json'), JSON.stringify({
      version: 2, dir, token: newToken(), members: ['n1'], bugs: [], env: {},
      nodes: [{ id: 'n1', pid: 0, url: 'http://127.0.0.1:1', httpPort: 1, peerPort: 2, peers: {}, dir: victim, extraArgs: [] }],
    }));
    const r = await execa(process.execPath, [BIN, 'cluster', 'start', '--dir', dir, '--nodes', '1'], { reject: false });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`${path.join(dir, 'cluster.json')}: nodes[0].dir must be ${path.join(dir, 'n1')}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(path.join(victim, 'precious.txt'), 'utf8')).toBe('do not delete');
    // A user's own n1 directory in the way (no marker) is not wiped either.
    fs.rmSync(path.join(dir, 'cluster.json'));
    fs.mkdirSync(path.join(dir, 'n1'));
    fs.writeFileSync(path.join(dir, 'n1', 'mine.txt'), 'mine');
    await expect(startCluster({ dir, nodes: 1 })).rejects.toThrow(/n1 exists and was not made by tenrec/);
    expect(fs.readFileSync(path.join(dir, 'n1', 'mine.txt'), 'utf8')).toBe('mine');
  });

  it('cluster stop kills its nodes, not a `tail -f` of a node log, nor a foreign pid planted in cluster.json', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-stop-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const cluster = await startCluster({ dir, nodes: 3 });
    cleanups.push(() => cluster.stop());
    const tail = bystander(path.join(dir, 'n1', 'node.log'));
    const foreign = bystander(path.join(victimDir(), 'precious.txt'));
    // Plant the foreign pid (with its true start time) as n2's pid.
    const file = path.join(dir, 'cluster.json');
    const rec = JSON.parse(fs.readFileSync(file, 'utf8'));
    const realN2 = rec.nodes[1].pid;
    rec.nodes[1].pid = foreign;
    rec.nodes[1].startTime = processStartTime(foreign);
    fs.writeFileSync(file, JSON.stringify(rec));
    const r = await execa(process.execPath, [BIN, 'cluster', 'stop', '--dir', dir], { reject: false });
    expect(r.exitCode).toBe(0);
    for (const n of cluster.nodes) if (n.id !== 'n2') expect(procState(n.pid)).toBe('dead');
    // The real n2 is found by its token in the sweep.
    expect(procState(realN2)).toBe('dead');
    expect(procState(tail)).toBe('running');
    expect(procState(foreign)).toBe('running');
    expect(openCluster(dir)).not.toBeNull();
  });

  it('a damaged cluster.json, --dir naming a file: clear errors naming them, exit 3, no stack trace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-damaged-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'cluster.json'), '{"version": 2, "nodes": [');
    const file = path.join(dir, 'plain-file');
    fs.writeFileSync(file, 'x');
    const [a, b, c] = await Promise.all([
      execa(process.execPath, [BIN, 'cluster', 'start', '--dir', dir], { reject: false }),
      execa(process.execPath, [BIN, 'cluster', 'status', '--dir', dir], { reject: false }),
      execa(process.execPath, [BIN, 'cluster', 'start', '--dir', file], { reject: false }),
    ]);
    for (const r of [a, b]) {
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toContain(`${path.join(dir, 'cluster.json')}: not valid JSON`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(c.exitCode).toBe(3);
    expect(c.stderr).toContain('is not a directory');
    expect(c.stderr).not.toMatch(/\n\s+at /);
  });
});
