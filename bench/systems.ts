// `npm run bench:cluster -- --db paxos,etcd`: the same closed-loop load on each system, through
// each system's own client (src/systems/<name>/client*.ts, the seam tenrec's tests use), sent to
// the leader: C clients, 50% writes / 50% linearizable reads over 8 keys, then 100% increments
// (the Paxos cluster's native inc; etcd's range + transaction). Ends with one plain line
// `ratio paxos/etcd: R`, R being the 50/50 write/read ops/s of the Paxos cluster over etcd's at
// the first concurrency level. Flags: --seconds S, --concurrency 32,64.
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUILTIN_SYSTEMS } from '../src/systems/index.ts';
import { newToken } from '../src/process/ownership.ts';
import { leaderOf } from '../src/system/capabilities.ts';
import type { ClientOp, DB, System } from '../src/system/system.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const SECONDS = Number(flag('seconds') ?? 15);
const LEVELS = (flag('concurrency') ?? '32,64').split(',').map(Number);
const DBS = (flag('db') ?? 'paxos,etcd').split(',');
const KEYS = 8;

interface Row {
  opsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(system: System, db: DB, concurrency: number, seconds: number, mix: 'write-read' | 'inc'): Promise<Row> {
  const leader = await leaderOf(db);
  const node = db.nodes().find((n) => n.id === leader) ?? db.nodes()[0]!;
  const factory = system.clients({ db, bug: null });
  const lat: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  let req = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const client = factory.open(node, 'counter');
      while (performance.now() < end) {
        const key = `k${Math.floor(Math.random() * KEYS)}`;
        const op: ClientOp =
          mix === 'inc' ? { f: 'inc', key, value: 1 } : Math.random() < 0.5 ? { f: 'write', key, value: Math.floor(Math.random() * 100) } : { f: 'read', key, value: null };
        const t0 = performance.now();
        const c = await client.invoke(op, { timeoutMs: 5000, ids: { clientId: `bench-${mix}-${concurrency}-${w}`, requestId: String(++req) } });
        if (c.type === 'ok') lat.push(performance.now() - t0);
        else errors++;
      }
      await client.close();
    }),
  );
  await factory.close?.();
  lat.sort((a, b) => a - b);
  const at = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return { opsPerSec: lat.length / seconds, p50: at(0.5), p99: at(0.99), errors };
}

const fmt = (r: Row) => `${r.opsPerSec.toFixed(0).padStart(6)} ops/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}`;

export async function benchSystems(): Promise<void> {
  console.log(`systems side by side: ${DBS.join(', ')}; 3 nodes each, clients to the leader, ${KEYS} keys, ${SECONDS} s per row; load average ${os.loadavg()[0]!.toFixed(1)}, ${os.cpus().length} cores`);
  const writeRead = new Map<string, number>();
  for (const name of DBS) {
    const system = BUILTIN_SYSTEMS[name];
    if (!system) throw new Error(`--db ${name}: not a built-in system`);
    const dir = mkdtempSync(join(tmpdir(), `tenrec-bench-${name}-`));
    const db = system.db({ nodes: 3, dir, token: newToken(), bug: null, net: 'proxy', faults: [], options: [] });
    try {
      await db.setup();
      await load(system, db, 8, Math.min(2, SECONDS), 'write-read'); // warm-up
      for (const c of LEVELS) {
        const r = await load(system, db, c, SECONDS, 'write-read');
        if (!writeRead.has(name)) writeRead.set(name, r.opsPerSec);
        console.log(`  ${name.padEnd(6)} ${String(c).padStart(3)} clients, 50% write / 50% read: ${fmt(r)}`);
      }
      for (const c of LEVELS) console.log(`  ${name.padEnd(6)} ${String(c).padStart(3)} clients, increments:            ${fmt(await load(system, db, c, SECONDS, 'inc'))}`);
    } finally {
      await db.teardown();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`load average at the end: ${os.loadavg()[0]!.toFixed(1)}`);
  const p = writeRead.get('paxos');
  const e = writeRead.get('etcd');
  if (p !== undefined && e !== undefined) console.log(`ratio paxos/etcd: ${(p / e).toFixed(2)}`);
}
