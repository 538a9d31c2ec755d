// `--net netns`: nodes in network namespaces, partitions as tc packet filters. Needs root and
// iproute2; where they are missing the suite is skipped (and `--net netns` refuses with a reason).
import { describe, expect, it, afterEach } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NamespaceNet, netnsUnavailable } from '../../src/net/netns.ts';
import { runTest } from '../../src/runner/run-test.ts';
import { makeClusterDir, reapLeftovers, runtimeDir } from '../../src/runner/runtime-registry.ts';
import { newToken } from '../../src/process/ownership.ts';
import { alive, tempResults, until } from '../runner/helpers.ts';

const why = netnsUnavailable();
const namespaces = () => spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

const ECHO_SERVER = `require('net').createServer((s) => s.on('data', (d) => s.write(d))).listen(7000, process.argv[1])`;
const ECHO_CLIENT = `
const s = require('net').connect(7000, process.argv[1], () => s.write('hi'));
s.on('data', () => { console.log('echo'); process.exit(0); });
s.on('error', (e) => { console.log('error ' + e.code); process.exit(0); });
setTimeout(() => { console.log('timeout'); process.exit(0); }, 700);`;

/** Connect from node `from`'s namespace to `to`'s echo server: 'echo', 'timeout' or 'error …'. */
function probe(net: NamespaceNet, from: string, to: string): string {
  const { wrap } = net.placement(from);
  const r = spawnSync(wrap[0]!, [...wrap.slice(1), process.execPath, '-e', ECHO_CLIENT, net.placement(to).host], { encoding: 'utf8' });
  return r.stdout.trim();
}

describe.skipIf(why !== null)('network namespaces (--net netns)', () => {
  it('cuts a directed link by dropping packets, and heal restores it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-netns-'));
    const net = NamespaceNet.create(['n1', 'n2', 'n3'], dir);
    cleanup.push(() => {
      net.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const servers: ChildProcess[] = [];
    cleanup.push(() => servers.forEach((s) => s.kill('SIGKILL')));
    for (const id of ['n1', 'n2', 'n3']) {
      const { host, wrap } = net.placement(id);
      servers.push(spawn(wrap[0]!, [...wrap.slice(1), process.execPath, '-e', ECHO_SERVER, host], { stdio: 'ignore' }));
    }
    await until(() => ['n2', 'n3'].every((to) => probe(net, 'n1', to) === 'echo'), 5000, 'the echo servers to answer');

    net.blackhole((from, to) => from === 'n1' && to === 'n2');
    expect(net.filtersOf(net.layout.nodes[0]!.ns)).toContain('flowid 1:2');
    expect(probe(net, 'n1', 'n2')).toBe('timeout'); // silently dropped, not refused
    expect(probe(net, 'n1', 'n3')).toBe('echo');

    net.heal();
    expect(probe(net, 'n1', 'n2')).toBe('echo');

    net.destroy();
    for (const n of net.layout.nodes) expect(namespaces()).not.toContain(n.ns);
  });

  it('a partition test runs in namespaces, stays linearizable, and leaves nothing behind', { timeout: 120_000 }, async () => {
    const resultsDir = tempResults();
    cleanup.push(() => fs.rmSync(resultsDir, { recursive: true, force: true }));
    const o = await runTest({ net: 'netns', nemesis: ['partition'], nemesisInterval: 1.5, timeLimit: 6, quiesce: 1, seed: 5, resultsDir, progress: false });
    expect(o.valid).toBe(true);
    expect(o.counts.faults.partition ?? 0).toBeGreaterThanOrEqual(1);
    expect(o.counts.finalReadsOk).toBe(o.counts.finalReadsPlanned);
    const test = JSON.parse(fs.readFileSync(path.join(o.dir, 'test.json'), 'utf8'));
    expect(JSON.stringify(test)).toContain('--net netns');
    await until(() => o.pids.every((p) => !alive(p)), 3000, 'every node to be gone');
    expect(namespaces()).not.toMatch(/tenrec-/);
  });

  it('a later run removes the namespaces of a runner that died', async () => {
    const resultsDir = tempResults();
    const token = newToken();
    const clusterDir = makeClusterDir(token);
    const net = NamespaceNet.create(['n1', 'n2'], clusterDir);
    cleanup.push(() => {
      net.destroy();
      fs.rmSync(resultsDir, { recursive: true, force: true });
      fs.rmSync(clusterDir, { recursive: true, force: true });
    });
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    fs.mkdirSync(runtimeDir(resultsDir), { recursive: true });
    fs.writeFileSync(
      path.join(runtimeDir(resultsDir), 'run-dead.json'),
      JSON.stringify({ runnerPid: Number(dead.stdout.trim()), clusterDir, token, startedAt: new Date().toISOString() }),
    );
    expect(namespaces()).toContain(net.layout.nodes[0]!.ns);
    expect(await reapLeftovers(resultsDir)).toBe(1);
    for (const n of net.layout.nodes) expect(namespaces()).not.toContain(n.ns);
  });
});

describe.skipIf(why === null)('without root or iproute2', () => {
  it('--net netns is refused with the reason', async () => {
    await expect(runTest({ net: 'netns', timeLimit: 1, resultsDir: tempResults(), progress: false })).rejects.toThrow(/--net netns cannot be used here/);
  });
});
