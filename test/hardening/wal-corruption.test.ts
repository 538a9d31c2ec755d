// Corruption of a write-ahead log never becomes silent data loss. Before format 2, a WAL of
// random bytes, one whose first record was damaged, and a bit flip in the last complete, fsynced
// record were all taken as "a torn tail" and cut: with two of three nodes so damaged, a counter
// read 19 after 20 acknowledged increments. Now each such node refuses to start, naming the file
// and offset, and the evidence stays as it was.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/systems/paxos/cluster/cluster.ts';
import { decodeLog } from '../../src/systems/paxos/node/wal-format.ts';

const dir = mkdtempSync(join(tmpdir(), 'tenrec-walcorrupt-'));
let cluster: Cluster | undefined;
afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a damaged write-ahead log', () => {
  it('makes the node refuse to start instead of forgetting acknowledged increments', { timeout: 60_000 }, async () => {
    cluster = await startCluster({ dir, nodes: 3 });
    const leader = cluster.node(await cluster.waitForLeader());
    for (let i = 1; i <= 20; i++) {
      const r = await fetch(`${leader.url}/kv/x/inc`, { method: 'POST', body: '{"delta":1}' });
      expect(await r.json()).toEqual({ value: i });
    }
    await cluster.stop();
    const walOf = (id: string) => join(dir, id, 'wal.log');
    // n2: one bit flipped in its last batch, whose bytes are all there (it was fsynced).
    const n2 = readFileSync(walOf('n2'));
    expect(decodeLog(n2).ok).toBe(true);
    n2[n2.length - 4] ^= 0x02;
    writeFileSync(walOf('n2'), n2);
    // n3: the whole file replaced by random bytes.
    let seed = 3;
    const n3 = Buffer.from(Array.from({ length: 2048 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff));
    writeFileSync(walOf('n3'), n3);
    for (const [id, bytes] of [['n2', n2], ['n3', n3]] as const) {
      await expect(cluster.restart(id)).rejects.toThrow(/exited during start/);
      const stderr = readFileSync(join(dir, id, 'stderr.log'), 'utf8');
      expect(stderr).toContain(`write-ahead log ${walOf(id)} is corrupt at`);
      expect(stderr).toContain('refusing to start');
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(walOf(id))).toEqual(bytes);
    }
    // The intact node starts as usual.
    await cluster.restart('n1');
    expect(decodeLog(readFileSync(walOf('n1'))).ok).toBe(true);
  });
});

describe('a node whose data path is not what it should be', () => {
  it('--dir naming a file, or wal.log being a directory: exit 3 with the reason, no stack trace', async () => {
    const { execa } = await import('execa');
    const bin = join(import.meta.dirname, '../../bin/tenrec.js');
    const base = mkdtempSync(join(tmpdir(), 'tenrec-badpath-'));
    try {
      const file = join(base, 'plain');
      writeFileSync(file, 'x');
      const walDir = join(base, 'node');
      mkdirSync(join(walDir, 'wal.log'), { recursive: true });
      const args = (dir: string) => ['node', '--id', 'n1', '--members', 'n1', '--http-port', '1', '--peer-port', '2', '--dir', dir];
      const [a, b] = await Promise.all([execa(bin, args(file), { reject: false }), execa(bin, args(walDir), { reject: false })]);
      expect(a.exitCode).toBe(3);
      expect(a.stderr).toContain(`--dir ${file} cannot hold the node's data: it (or a parent) is a file`);
      expect(b.exitCode).toBe(3);
      expect(b.stderr).toContain(`write-ahead log ${join(walDir, 'wal.log')} is not a regular file`);
      for (const r of [a, b]) expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
