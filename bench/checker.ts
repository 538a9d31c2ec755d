// `npm run bench:checker`: how long checking takes (after parsing), against Porcupine v1.3.0's
// figures on the same histories, and a scale series of generated keyed histories.
// Prints wall and CPU milliseconds: on a shared machine wall time is inflated by other load,
// CPU time much less so. Each corpus set is checked once untimed first (JIT warm-up).
import { cpus, loadavg } from 'node:os';
import { check, checkSync, type CheckOptions } from '../checker/check.ts';
import type { Operation } from '../checker/types.ts';
import { loadCorpus, type CorpusFile } from './corpus.ts';
import { generateHistory } from './generate-history.ts';

interface Timed {
  wall: number;
  cpu: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timeSync(ops: Operation[], opts: CheckOptions, expected: boolean, name: string): Timed {
  const c0 = cpuMs();
  const t0 = performance.now();
  const r = checkSync(ops, opts);
  const wall = performance.now() - t0;
  const cpu = cpuMs() - c0;
  if (r.valid !== expected) throw new Error(`${name}: expected ${expected}, got ${r.valid}`);
  return { wall, cpu };
}

const fmt = (t: Timed) => `${t.wall.toFixed(1).padStart(9)} ms wall ${t.cpu.toFixed(0).padStart(7)} ms cpu`;

function series(title: string, files: CorpusFile[], opts: CheckOptions, porcupine: string, show: (f: string) => boolean) {
  for (const f of files) checkSync(f.ops, opts); // warm-up
  const total: Timed = { wall: 0, cpu: 0 };
  const rows: [string, Timed][] = [];
  for (const f of files) {
    const t = timeSync(f.ops, opts, f.expected, f.name);
    total.wall += t.wall;
    total.cpu += t.cpu;
    rows.push([f.name, t]);
  }
  console.log(`\n${title} (Porcupine v1.3.0: ${porcupine})`);
  const slowest = [...rows].sort((a, b) => b[1].wall - a[1].wall).slice(0, 4).map((r) => r[0]);
  for (const [name, t] of rows) if (show(name) || slowest.includes(name)) console.log(`  ${name.padEnd(22)} ${fmt(t)}`);
  console.log(`  ${'TOTAL'.padEnd(22)} ${fmt(total)}   (${rows.length} files, all verdicts as expected)`);
}

console.log(`checker benchmark: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, node ${process.version}`);

const etcd = loadCorpus('jepsen');
series('etcd logs, cas-register, initial null', etcd, { model: 'cas-register', initial: null }, '574 ms total; etcd_002 228, etcd_007 132, etcd_099 74, etcd_057 70', (n) =>
  /etcd_(002|007|099|057)/.test(n),
);

const kv = loadCorpus('kv');
series('kv files, partitioned by key', kv, { model: 'kv' }, '240 ms total; c50-ok 225', () => true);
series(
  'c01 and c10, unpartitioned',
  kv.filter((f) => /c01|c10/.test(f.name)),
  { model: 'kv', partition: false },
  'c10-ok 2.7 s, c10-bad 3.2 s',
  () => true,
);

console.log('\nscale: generated cas-register histories, 10 keys, 20 clients, 3% crashed (check(), worker threads)');
for (const n of [1_000, 10_000, 100_000, 1_000_000]) {
  const ops = generateHistory({ ops: n, keys: 10, clients: 20, crashed: 0.03, seed: n });
  const c0 = cpuMs();
  const t0 = performance.now();
  const r = await check(ops, { model: 'cas-register' });
  const wall = performance.now() - t0;
  const cpu = cpuMs() - c0;
  const mem = process.memoryUsage();
  console.log(
    `  ${String(n).padStart(9)} ops  ${String(r.valid).padEnd(5)} ${fmt({ wall, cpu })}` +
      `  peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, heap now ${(mem.heapUsed / 1e6).toFixed(0)} MB` +
      (r.valid === true ? '' : `  (${r.reason ?? 'invalid'}: generated histories are linearizable)`),
  );
}
