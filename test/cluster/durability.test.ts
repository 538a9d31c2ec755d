// A single-node cluster (quorum of one) makes durability visible on its own: whatever it
// acknowledged must come back from its write-ahead log after a SIGKILL.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/systems/paxos/cluster/cluster.ts';

const dir = mkdtempSync(join(tmpdir(), 'tenrec-durable-'));
const bugDir = mkdtempSync(join(tmpdir(), 'tenrec-durable-bug-'));
let cluster: Cluster | undefined;
let buggy: Cluster | undefined;

afterAll(async () => {
  await cluster?.stop();
  await buggy?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(bugDir, { recursive: true, force: true });
});

describe('durability of a node process', () => {
  it('acknowledged increments survive SIGKILL and restart (fsync before reply)', async () => {
    cluster = await startCluster({ dir, nodes: 1 });
    const url = cluster.node('n1').url;
    // Concurrent increments exercise group commit; every one that was acknowledged counts.
    const results = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`${url}/kv/c/inc`, { method: 'POST', body: '{"delta":1}' }).then((r) => r.status)),
    );
    const acked = results.filter((s) => s === 200).length;
    expect(acked).toBe(40);
    await cluster.kill('n1');
    expect(statSync(join(dir, 'n1', 'wal.log')).size).toBeGreaterThan(0);
    await cluster.restart('n1');
    await cluster.waitForLeader();
    const r = await fetch(`${url}/kv/c`);
    expect(await r.json()).toEqual({ value: 40 });
  });

  it('with bug ack-before-fsync, an increment acknowledged just before SIGKILL is lost', async () => {
    buggy = await startCluster({ dir: bugDir, nodes: 1, bugs: ['ack-before-fsync'] });
    const url = buggy.node('n1').url;
    // The lazy flush runs every 200 ms; a kill a few ms after the ack usually beats it, so a
    // loss shows within a few tries (each try is one increment, a kill, a restart, a read).
    const seen: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const acked = ((await (await fetch(`${url}/kv/c/inc`, { method: 'POST', body: '{}' })).json()) as { value: number }).value;
      await buggy.kill('n1');
      await buggy.restart('n1');
      await buggy.waitForLeader();
      const after = ((await (await fetch(`${url}/kv/c`)).json()) as { value: number }).value;
      seen.push(`acked ${acked}, read ${after} after restart`);
      if (after < acked) return;
    }
    expect.fail(`no acknowledged increment was lost: ${seen.join('; ')}`);
  });
});
