// Real processes: three `tenrec node`s on 127.0.0.1 with fsync on. One cluster is shared by the
// steps of this file (each start costs seconds); every process is stopped in afterAll, even
// when a step fails.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/systems/paxos/cluster/cluster.ts';
import { procState } from '../../src/process/processes.ts';
import { decodeLog } from '../../src/systems/paxos/node/wal-format.ts';

let dir: string;
let cluster: Cluster;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tenrec-cluster-'));
  // Snapshot every 2 applied slots: the steps below then also exercise atomic WAL replacement
  // and recovery from a log that starts with a snapshot, in real processes.
  cluster = await startCluster({ dir, nodes: 3, nodeArgs: ['--snapshot-every', '2'] });
});

afterAll(async () => {
  await cluster?.stop();
  for (const n of cluster?.nodes ?? []) expect(procState(n.pid)).toBe('dead');
  rmSync(dir, { recursive: true, force: true });
});

async function call(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; value?: number }> {
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { value?: number };
  return { status: res.status, value: json.value };
}

const urlOf = (id: string) => cluster.node(id).url;

let requestSeq = 0;

/**
 * Retry one increment until it lands. Every retry carries the same client-id/request-id, so
 * one whose first attempt timed out (504: outcome unknown) still applies exactly once.
 */
async function incUntilOk(id: string, key: string): Promise<number> {
  const headers = { 'client-id': 'cluster-test', 'request-id': String(++requestSeq) };
  for (let i = 0; i < 100; i++) {
    const r = await call(`${urlOf(id)}/kv/${key}/inc`, 'POST', { delta: 1 }, headers);
    if (r.status === 200) return r.value!;
    if (r.status < 500) throw new Error(`inc via ${id}: HTTP ${r.status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('no leader accepted the increment');
}

async function readVia(id: string, key: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const r = await call(`${urlOf(id)}/kv/${key}`);
    if (r.status === 200) return r.value!;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`no read through ${id} succeeded`);
}

describe('a real three-node cluster', () => {
  let killed: string;

  it('keeps X = X + 1 twice after SIGKILL of the leader: a survivor reads 2', async () => {
    const leader = await cluster.waitForLeader();
    const follower = cluster.ids.find((id) => id !== leader)!;
    expect(await incUntilOk(leader, 'x')).toBe(1);
    expect(await incUntilOk(follower, 'x')).toBe(2); // through a follower: forwarded
    await cluster.kill(leader);
    killed = leader;
    expect(procState(cluster.node(leader).pid)).toBe('dead');
    const next = await cluster.waitForLeader();
    expect(next).not.toBe(leader);
    for (const id of cluster.ids.filter((i) => i !== leader)) expect(await readVia(id, 'x')).toBe(2);
  });

  it('a restarted node catches up and can complete a quorum', async () => {
    expect(await incUntilOk(cluster.ids.find((i) => i !== killed)!, 'x')).toBe(3);
    await cluster.restart(killed);
    // Take away another node: the quorum now needs the restarted one, so progress proves it
    // rejoined with everything it missed (its own WAL plus catch-up).
    const other = cluster.ids.find((i) => i !== killed && procState(cluster.node(i).pid) !== 'dead')!;
    await cluster.kill(other);
    expect(await incUntilOk(killed, 'x')).toBe(4);
    const s = (await cluster.status()).find((n) => n.id === killed)!;
    expect(s.status?.appliedIndex as number).toBeGreaterThanOrEqual(4);
    await cluster.restart(other);
    expect(await readVia(other, 'x')).toBe(4);
  });

  it('survives a paused leader, and the resumed node serves the latest value', async () => {
    const leader = await cluster.waitForLeader();
    await cluster.pause(leader);
    expect((await cluster.status()).find((n) => n.id === leader)!.process).toBe('paused');
    const survivor = cluster.ids.find((i) => i !== leader)!;
    expect(await incUntilOk(survivor, 'x')).toBe(5);
    const next = await cluster.waitForLeader();
    expect(next).not.toBe(leader);
    await cluster.resume(leader);
    expect(await readVia(leader, 'x')).toBe(5);
  });

  it('stop() shuts every node down cleanly on SIGTERM: each logs "stopped" and no process is left', async () => {
    await cluster.stop();
    for (const n of cluster.nodes) {
      expect(procState(n.pid)).toBe('dead');
      const lines = readFileSync(join(n.dir, 'node.log'), 'utf8').trimEnd().split('\n');
      expect(lines.at(-1)).toMatch(/ stopped$/);
      const wal = decodeLog(readFileSync(join(n.dir, 'wal.log')));
      expect(wal.ok && wal.records[0]?.type).toBe('snapshot');
    }
  });
});
