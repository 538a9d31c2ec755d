// The built-in Multi-Paxos cluster behind the DB seam. By default every peer link is routed
// through the runner's fault proxy (one listener per directed link) so partitions need no root;
// with `net: 'netns'` each node lives in its own network namespace and partitions are packet
// filters (src/net/netns.ts).
import { appendFileSync, existsSync, lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCluster, startCluster, type Cluster, type StartClusterOptions } from './cluster/cluster.ts';
import { procState } from '../../process/processes.ts';
import type { BugName } from './types.ts';
import { ProxyNet } from '../../net/proxy.ts';
import { NamespaceNet } from '../../net/netns.ts';
import type { ClockFaults, DbCore, DbNode, DiskCorruption, DiskDamage, DiskFaults, FailpointAction, Failpoints, Kill, LogFile, Membership, Net, NetFaults, Pause, Primary, SyncFaults, SyncHeal } from '../../system/db.ts';
import { ClusterError } from './cluster/cluster.ts';
import { FAILPOINTS } from './node/failpoints.ts';
import { armFailpoint, disarmFailpoints } from './failpoint-admin.ts';
import { FiuControl } from './fiu.ts';
import { FakeTime } from './faketime.ts';

export interface PaxosDbOptions {
  nodes: number;
  /** Where node data and logs live during the run (wiped by the caller). */
  dir: string;
  bugs: readonly BugName[];
  /** Extra `tenrec node` flags. */
  nodeArgs?: string[];
  /** How partitions are made: the fault proxy (default) or network namespaces (root only). */
  net?: 'proxy' | 'netns';
  /** The cluster's ownership token (src/process/ownership.ts); default a fresh one. */
  token?: string;
  /** Start the nodes under libfiu, so that fsync errors can be switched on (--nemesis fsync). */
  syncFaults?: boolean;
  /** Start the nodes under libfaketime, so that their wall clocks can be set (--nemesis clock). */
  clockFaults?: boolean;
  /** Nodes beyond `nodes` that may join later (--nemesis membership), default 0. */
  spares?: number;
}

export class PaxosDb implements DbCore, Kill, Pause, Primary, Net, Failpoints, SyncFaults, ClockFaults, DiskFaults, Membership {
  private cluster?: Cluster;
  private proxy?: ProxyNet;
  private namespaces?: NamespaceNet;
  private readonly peerPorts = new Map<string, number>();
  private readonly paused = new Set<string>();
  /** Every node pid this DB ever started (restarts included), for leak checks. */
  private readonly pidsStarted = new Set<number>();
  private faults?: NetFaults;
  private fiu?: FiuControl;
  private faketime?: FakeTime;
  /** Each node's write-ahead log as it was when its fsyncs began to fail (null: there was none). */
  private readonly walAtSyncFault = new Map<string, Buffer | null>();
  /** Each node's write-ahead log as it was before --nemesis corrupt damaged it. */
  private readonly walBeforeDamage = new Map<string, Buffer>();
  /** Cuts links once set up (before that there is nothing to cut). */
  readonly net: NetFaults = {
    blackhole: (drops) => this.faults?.blackhole(drops),
    heal: () => this.faults?.heal(),
  };

  constructor(private readonly o: PaxosDbOptions) {}

  async setup(): Promise<void> {
    // Spares get their links (proxies, namespaces) now: every node knows the whole pool.
    const ids = Array.from({ length: this.o.nodes + (this.o.spares ?? 0) }, (_, i) => `n${i + 1}`);
    // Where nodes listen and how they reach each other: the only thing the two nets change.
    let wiring: Pick<StartClusterOptions, 'placement' | 'peerAddress'>;
    if (this.o.net === 'netns') {
      const namespaces = NamespaceNet.create(ids, this.o.dir);
      this.namespaces = namespaces;
      this.faults = namespaces;
      wiring = { placement: (id) => namespaces.placement(id) };
    } else {
      const proxy = await ProxyNet.create(ids, (id) => this.peerPorts.get(id));
      this.proxy = proxy;
      this.faults = {
        blackhole: (drops) => proxy.blackhole(drops),
        heal: () => proxy.healAll(),
      };
      wiring = {
        peerAddress: (from, to, ports) => {
          this.peerPorts.set(to, ports.peerPort);
          return proxy.address(from, to);
        },
      };
    }
    if (this.o.syncFaults) this.fiu = FiuControl.create(join(this.o.dir, 'fiu'));
    if (this.o.clockFaults) {
      const faketime = (this.faketime = FakeTime.create((id) => join(this.o.dir, `clock-${id}`)));
      // Before any node starts: it tells a watchdog to clear libfaketime's files for cluster.json's pids too.
      writeFileSync(join(this.o.dir, FakeTime.PIDS_FILE), '');
      const placed = wiring.placement;
      wiring = { ...wiring, placement: (id) => ({ host: placed?.(id).host ?? '127.0.0.1', wrap: [...(placed?.(id).wrap ?? []), ...faketime.wrap(id)] }) };
    }
    this.cluster = await startCluster({
      nodes: this.o.nodes,
      spares: this.o.spares ?? 0,
      dir: this.o.dir,
      bugs: this.o.bugs,
      nodeArgs: this.o.nodeArgs,
      ...(this.o.token ? { token: this.o.token } : {}),
      env: preloadEnv([this.fiu?.env(), this.faketime?.env()]),
      ...wiring,
    });
    for (const n of this.cluster.nodes) this.started(n.pid);
  }

  /**
   * A node process started. Under libfaketime its pid also goes into the cluster directory, so a
   * watchdog whose runner died can remove what libfaketime leaves in /dev/shm for it.
   */
  private started(pid: number): void {
    this.pidsStarted.add(pid);
    if (this.faketime) appendFileSync(join(this.o.dir, FakeTime.PIDS_FILE), `${pid}\n`);
  }

  private get c(): Cluster {
    if (!this.cluster) throw new Error('the cluster is not set up');
    return this.cluster;
  }

  /** The proxy, for tests and the report (bytes dropped per link). */
  get proxyNet(): ProxyNet | undefined {
    return this.proxy;
  }

  get clusterDir(): string {
    return this.o.dir;
  }

  nodes(): DbNode[] {
    return this.cluster ? this.cluster.nodes.map((n) => ({ id: n.id, url: n.url })) : [];
  }

  async kill(id: string): Promise<void> {
    this.paused.delete(id);
    await this.c.kill(id);
  }

  async pause(id: string): Promise<void> {
    await this.c.pause(id);
    this.paused.add(id);
  }

  async resume(id: string): Promise<void> {
    if (!this.paused.has(id)) return;
    this.paused.delete(id);
    if (procState(this.c.node(id).pid) !== 'dead') await this.c.resume(id);
  }

  /**
   * Respawns a dead node and returns without waiting for it to serve: a node takes seconds to
   * boot here, and the schedule should not stall on it (waitAllServing waits before final reads).
   */
  async restart(id: string): Promise<void> {
    if (procState(this.c.node(id).pid) !== 'dead') return;
    await this.c.restart(id, { waitServing: false });
    this.started(this.c.node(id).pid);
  }

  /** Waits until every node answers GET /status (or the time runs out; returns whether all did). */
  async waitAllServing(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (const n of this.nodes()) {
      for (;;) {
        try {
          const r = await fetch(`${n.url}/status`, { signal: AbortSignal.timeout(500) });
          await r.body?.cancel();
          if (r.ok) break;
        } catch {
          /* not up yet */
        }
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return true;
  }

  async leader(): Promise<string | null> {
    try {
      return await this.c.leader();
    } catch {
      return null;
    }
  }

  async waitForLeader(timeoutMs: number): Promise<string> {
    return this.c.waitForLeader(timeoutMs);
  }

  async membership(): Promise<{ voters: string[]; spares: string[] }> {
    const config = await this.c.configuration();
    return { voters: config?.voters.length ? config.voters : this.c.ids, spares: this.c.spares };
  }

  /** A removed member comes back on its old data directory (an acceptor's state only grows). */
  async addMember(id: string): Promise<void> {
    await this.c.addMember(id);
    this.started(this.c.node(id).pid);
  }

  async prepareMember(id: string): Promise<void> {
    await this.c.startSpare(id);
    this.started(this.c.node(id).pid);
  }

  async removeMember(id: string): Promise<void> {
    this.paused.delete(id);
    await this.c.removeMember(id);
  }

  failpoints(): readonly string[] {
    return FAILPOINTS;
  }

  /** Through the node's admin API, with the cluster's ownership token. */
  armFailpoint(id: string, point: string, action: FailpointAction): Promise<void> {
    return armFailpoint(this.c.node(id).url, this.adminToken(), point, action);
  }

  disarmFailpoints(id: string): Promise<void> {
    return disarmFailpoints(this.c.node(id).url, this.adminToken());
  }

  private adminToken(): string {
    if (!this.o.token) throw new Error('this cluster has no ownership token, so its nodes have no admin API');
    return this.o.token;
  }

  async failSync(id: string): Promise<void> {
    if (!this.fiu) throw new Error('the cluster was not started for fsync errors (syncFaults)');
    const n = this.c.node(id);
    if (procState(n.pid) === 'dead') return;
    await this.fiu.failSync(n.pid);
    // Read after the errors began: a record whose fsync completed before them (and which the
    // node may have acknowledged) is in it; anything later may or may not be, as on a real disk.
    const wal = this.readWal(id);
    if (wal !== undefined) this.walAtSyncFault.set(id, wal);
  }

  async healSync(id: string): Promise<SyncHeal> {
    const n = this.c.node(id);
    const carriedOn = procState(n.pid) !== 'dead';
    // The errors go with the process: a node that carried on is killed, a stopped one stays down.
    if (carriedOn) await this.kill(id);
    let rolledBack = false;
    if (this.walAtSyncFault.has(id)) {
      const before = this.walAtSyncFault.get(id)!;
      this.walAtSyncFault.delete(id);
      const now = this.readWal(id);
      const unchanged = before === null ? now === null : now != null && before.equals(now);
      if (now !== undefined && !unchanged) {
        if (before) writeFileSync(this.walPath(id), before);
        else rmSync(this.walPath(id));
        rolledBack = true;
      }
    }
    await this.restart(id);
    return { carriedOn, rolledBack };
  }

  private walPath(id: string): string {
    return join(this.c.node(id).dir, 'wal.log');
  }

  /** The log's bytes; null when there is none; undefined when it is not a plain file (left alone). */
  private readWal(id: string): Buffer | null | undefined {
    const st = lstatSync(this.walPath(id), { throwIfNoEntry: false });
    if (!st) return null;
    return st.isFile() ? readFileSync(this.walPath(id)) : undefined;
  }

  /**
   * Kills the node, damages its write-ahead log (the one durable file it has) and starts it on it,
   * waiting to see whether it serves or refuses. A node with no log (or one that is not a plain
   * file) is started again untouched and the turn fails, as a nemesis error in the run's outcome.
   */
  async corruptDisk(id: string, damage: DiskDamage): Promise<DiskCorruption> {
    await this.kill(id);
    const before = this.readWal(id);
    if (!before) {
      await this.restart(id);
      throw new Error(`node ${id} has no write-ahead log (a plain file) to damage`);
    }
    this.walBeforeDamage.set(id, before);
    let after: Buffer;
    let detail: string;
    if (damage.mode === 'bitflip') {
      after = Buffer.from(before);
      const flips = damage.at.map((f) => {
        const bit = Math.floor(f * after.length * 8) % (after.length * 8);
        after[bit >> 3]! ^= 1 << (bit & 7);
        return `${bit >> 3}[${bit & 7}]`;
      });
      detail = `flipped bits at byte ${flips.join(', ')}`;
    } else {
      const cut = Math.min(damage.bytes, before.length);
      after = before.subarray(0, before.length - cut);
      detail = `cut the last ${cut} of ${before.length} bytes`;
    }
    writeFileSync(this.walPath(id), after);
    let refused: string | null = null;
    try {
      await this.c.restart(id);
    } catch (err) {
      if (!(err instanceof ClusterError)) throw err;
      // The node's own words (its last stderr line) say why; the rest is the cluster's wrapper.
      refused = err.message.split('\n').filter((l) => l.startsWith('tenrec node:')).pop() ?? err.message;
    }
    this.started(this.c.node(id).pid);
    return { file: 'wal.log', size: before.length, detail, refused };
  }

  /** A node that refused its damaged log gets the log back as it was, and starts on it. */
  async restoreDisk(id: string): Promise<{ restored: boolean }> {
    const before = this.walBeforeDamage.get(id);
    this.walBeforeDamage.delete(id);
    if (!before || procState(this.c.node(id).pid) !== 'dead') return { restored: false };
    if (this.readWal(id) === undefined) throw new Error(`node ${id}'s write-ahead log is no longer a plain file; left alone`);
    writeFileSync(this.walPath(id), before);
    await this.restart(id);
    return { restored: true };
  }

  async setClockOffset(id: string, offsetMs: number): Promise<void> {
    if (!this.faketime) throw new Error('the cluster was not started for clock faults (clockFaults)');
    this.c.node(id); // a node of this cluster
    this.faketime.set(id, offsetMs);
  }

  startedPids(): number[] {
    return [...this.pidsStarted];
  }

  /** Every node serves and a leader is known (final reads come next). */
  async waitHealthy(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    if (!(await this.waitAllServing(timeoutMs))) return false;
    try {
      await this.waitForLeader(Math.max(1000, deadline - Date.now()));
      return true;
    } catch {
      return false;
    }
  }

  /** Node pids alive now. */
  pids(): number[] {
    return this.cluster ? this.cluster.nodes.map((n) => n.pid).filter((p) => p > 0 && procState(p) !== 'dead') : [];
  }

  logFiles(): LogFile[] {
    if (!this.cluster) return [];
    const out: LogFile[] = [];
    for (const n of this.cluster.pool) {
      for (const f of ['node.log', 'stderr.log']) {
        const p = join(n.dir, f);
        if (existsSync(p)) out.push({ id: `${n.id}-${f}`, path: p });
      }
    }
    return out;
  }

  /** The node log's text, for tests. */
  readLog(id: string): string {
    const p = join(this.c.node(id).dir, 'node.log');
    return existsSync(p) ? readFileSync(p, 'utf8') : '';
  }

  async teardown(): Promise<void> {
    try {
      // Stopped while still starting (Ctrl-C during setup): the nodes are already recorded on disk.
      const cluster = this.cluster ?? openCluster(this.o.dir);
      if (cluster) await cluster.stop();
      if (this.faketime) FakeTime.removeLeftovers(this.pidsStarted);
    } finally {
      await this.proxy?.close();
      this.namespaces?.destroy();
    }
  }
}

/** Environments merged, their LD_PRELOAD lists joined (each library needs its own entry). */
function preloadEnv(parts: (Record<string, string> | undefined)[]): Record<string, string> {
  const env: Record<string, string> = {};
  const preload: string[] = [];
  for (const p of parts) {
    if (!p) continue;
    for (const [k, v] of Object.entries(p)) {
      if (k === 'LD_PRELOAD') preload.push(v);
      else env[k] = v;
    }
  }
  if (preload.length) env.LD_PRELOAD = preload.join(' ');
  return env;
}
