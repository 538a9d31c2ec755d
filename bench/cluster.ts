// Cluster benchmark (`npm run bench:cluster`): three real nodes on 127.0.0.1 with fsync on.
//  1. Throughput and latency: C closed-loop clients (32, then 64), each issuing 50% increments
//     and 50% linearizable reads over 8 keys for ~15 s through keep-alive connections.
//  2. Failover: SIGKILL the leader, then time until an increment succeeds again (median of 5).
// Flags: --seconds S (per concurrency level), --trials N, --concurrency 32,64, --spread (clients
// spread over all nodes, followers forward; default: clients talk to the leader), --client
// undici|http (default undici); --election random|bully (the nodes' election timeouts); --db paxos,etcd compares systems instead (bench/systems.ts).
//
// The load generator shares this 2-core machine with the three nodes, so its own CPU cost
// comes out of the cluster's figures. undici (Node's own HTTP client project) spends about a
// third less CPU per request than node:http's client; `--client http` shows the difference.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { startCluster, type Cluster } from '../src/systems/paxos/cluster/cluster.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const SECONDS = Number(flag('seconds') ?? 15);
const TRIALS = Number(flag('trials') ?? 5);
const LEVELS = (flag('concurrency') ?? '32,64').split(',').map(Number);
const SPREAD = process.argv.includes('--spread');
const CLIENT = flag('client') ?? 'undici';
if (CLIENT !== 'undici' && CLIENT !== 'http') throw new Error(`--client must be undici or http, not ${CLIENT}`);
const KEYS = 8;
const ELECTION = flag('election') ?? 'random';
if (ELECTION !== 'random' && ELECTION !== 'bully') throw new Error(`--election must be random or bully, not ${ELECTION}`);

interface Reply {
  status: number;
  body: string;
}

function request(agent: http.Agent, url: string, method: string, body: string | undefined, headers: Record<string, string>, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // An explicit length: without it node:http sends the body chunked, which costs both sides.
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request(url, { method, agent, headers: { 'content-type': 'application/json', ...length, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

let levelRuns = 0;

async function throughput(cluster: Cluster, concurrency: number, seconds: number): Promise<void> {
  // Dedup ids must increase per client: every level gets fresh client ids.
  const run = ++levelRuns;
  const leader = await cluster.waitForLeader();
  const urls = SPREAD ? cluster.nodes.map((n) => n.url) : [cluster.node(leader).url];
  const agents = urls.map(() => new http.Agent({ keepAlive: true, maxSockets: concurrency }));
  const pools = urls.map((u) => new Pool(u, { connections: concurrency, pipelining: 1, headersTimeout: 5000, bodyTimeout: 5000 }));
  const send = async (target: number, path: string, method: 'GET' | 'POST', body: string | undefined, headers: Record<string, string>): Promise<Reply> => {
    if (CLIENT === 'http') return request(agents[target]!, `${urls[target]}${path}`, method, body, headers, 5000);
    const res = await pools[target]!.request({ path, method, body, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers } });
    return { status: res.statusCode, body: await res.body.text() };
  };
  const latInc: number[] = [];
  const latRead: number[] = [];
  let errors = 0;
  const statusCounts = new Map<string, number>();
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async (w: number) => {
    let seq = 0;
    while (performance.now() < end) {
      const key = `k${Math.floor(Math.random() * KEYS)}`;
      const inc = Math.random() < 0.5;
      const target = w % urls.length;
      const t0 = performance.now();
      try {
        const r = inc
          ? await send(target, `/kv/${key}/inc`, 'POST', '{"delta":1}', { 'client-id': `run${run}-w${w}`, 'request-id': String(++seq) })
          : await send(target, `/kv/${key}`, 'GET', undefined, {});
        const dt = performance.now() - t0;
        if (r.status === 200) (inc ? latInc : latRead).push(dt);
        else {
          errors++;
          statusCounts.set(String(r.status), (statusCounts.get(String(r.status)) ?? 0) + 1);
        }
      } catch (err) {
        errors++;
        statusCounts.set((err as Error).message, (statusCounts.get((err as Error).message) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  for (const a of agents) a.destroy();
  await Promise.all(pools.map((p) => p.close()));
  const all = [...latInc, ...latRead].sort((a, b) => a - b);
  const incSorted = [...latInc].sort((a, b) => a - b);
  const readSorted = [...latRead].sort((a, b) => a - b);
  const leaderStatus = (await cluster.status()).find((s) => s.id === leader)?.status;
  const fsyncs = Number(leaderStatus?.walSyncs ?? NaN);
  console.log(
    `concurrency ${String(concurrency).padStart(3)} (${SPREAD ? 'spread over all nodes' : 'to the leader'}, ${CLIENT} client): ` +
      `${(all.length / elapsed).toFixed(0)} ops/s ` +
      `(${(latInc.length / elapsed).toFixed(0)} inc/s + ${(latRead.length / elapsed).toFixed(0)} reads/s), ` +
      `p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms ` +
      `[inc p50 ${percentile(incSorted, 50).toFixed(1)} / p99 ${percentile(incSorted, 99).toFixed(1)}; ` +
      `read p50 ${percentile(readSorted, 50).toFixed(1)} / p99 ${percentile(readSorted, 99).toFixed(1)}], ` +
      `errors ${errors}${errors ? ' ' + JSON.stringify(Object.fromEntries(statusCounts)) : ''}; leader fsyncs so far ${fsyncs}`,
  );
}

/** SIGKILL the leader; ms until an increment (retried on the survivors) succeeds. */
async function failoverTrial(cluster: Cluster, trial: number): Promise<number> {
  const leader = await cluster.waitForLeader();
  const survivors = cluster.nodes.filter((n) => n.id !== leader);
  const agent = new http.Agent({ keepAlive: true });
  // Warm the connections so the measurement is not a TCP handshake.
  for (const s of survivors) await request(agent, `${s.url}/status`, 'GET', undefined, {}, 1000);
  const t0 = performance.now();
  await cluster.kill(leader);
  let attempt = 0;
  let ms = NaN;
  const headers = { 'client-id': 'failover-bench', 'request-id': `t${trial}` };
  for (;;) {
    const s = survivors[attempt++ % survivors.length]!;
    try {
      const r = await request(agent, `${s.url}/kv/failover/inc`, 'POST', '{"delta":1}', headers, 300);
      if (r.status === 200) {
        ms = performance.now() - t0;
        break;
      }
    } catch {
      /* timed out or refused: try again */
    }
    if (performance.now() - t0 > 30_000) throw new Error('no increment succeeded within 30 s of the kill');
    await new Promise((r) => setTimeout(r, 5));
  }
  agent.destroy();
  await cluster.restart(leader);
  await cluster.waitForLeader();
  return ms;
}

/**
 * How busy is this machine right now? A no-op HTTP server and its keep-alive client in this one
 * process, same concurrency: on a shared 2-core box the cluster's figures only mean something
 * next to this ceiling (and the load average).
 */
async function calibrate(concurrency: number, seconds: number): Promise<number> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{"value":1}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let ops = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await request(agent, `http://127.0.0.1:${port}/kv/a/inc`, 'POST', '{}', {}, 5000);
        ops++;
      }
    }),
  );
  agent.destroy();
  server.close();
  return ops / seconds;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tenrec-bench-cluster-'));
  let cluster: Cluster | undefined;
  const stop = async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const ceiling = await calibrate(64, 3);
    console.log(
      `machine: load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${os.cpus().length} cores; ` +
        `a no-op HTTP server + client in one process: ${ceiling.toFixed(0)} req/s at concurrency 64`,
    );
    cluster = await startCluster({ dir, nodes: 3, ...(ELECTION !== 'random' ? { nodeArgs: ['--election', ELECTION] } : {}) });
    console.log(`3 nodes on 127.0.0.1, fsync on, ${KEYS} keys, 50% inc / 50% read, ${SECONDS} s per level (${dir})`);
    // A short warm-up so JIT compilation does not count against the first level.
    await throughput(cluster, 8, Math.min(2, SECONDS)).catch(() => {});
    for (const c of LEVELS) await throughput(cluster, c, SECONDS);
    const windows: number[] = [];
    for (let t = 1; t <= TRIALS; t++) {
      const ms = await failoverTrial(cluster, t);
      windows.push(ms);
      console.log(`failover trial ${t}: ${ms.toFixed(0)} ms from SIGKILL of the leader to the first successful increment`);
    }
    console.log(`machine load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`failover (${ELECTION} elections): median ${median(windows).toFixed(0)} ms (min ${Math.min(...windows).toFixed(0)}, max ${Math.max(...windows).toFixed(0)}) over ${TRIALS} trials`);
  } finally {
    await stop();
  }
}

// `--db paxos,etcd`: both systems through their own clients, side by side (bench/systems.ts).
if (flag('db') !== undefined) await (await import('./systems.ts')).benchSystems();
else await main();
