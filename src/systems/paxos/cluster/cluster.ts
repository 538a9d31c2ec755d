// A local cluster of `tenrec node` processes: start, break (kill, pause, restart) and stop them.
// State lives in `<dir>/cluster.json`, so a Cluster can be reopened by another process
// (the `tenrec cluster …` commands) as well as driven in-process (the runner, tests).
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { freePorts } from '../../../net/free-port.ts';
import type { BugName, NodeId } from '../types.ts';
import { ClusterFileError, readClusterFile, writeClusterFile, type ClusterNodeRecord, type ClusterRecord } from './cluster-file.ts';
import { probe } from './http-probe.ts';
import { entryArgsFor, nodeEntryArgs, REPO_ROOT } from './node-entry.ts';
import { procState, signalGroup, terminate, waitForExit } from '../../../process/processes.ts';
import { killProcessesWithToken, markerToken, newToken, ownsProcess, processStartTime, TOKEN_ENV, writeMarker, MARKER_FILE } from '../../../process/ownership.ts';

const HOST = '127.0.0.1';

export interface StartClusterOptions {
  /** Number of nodes (ids n1…nN), default 3. */
  nodes?: number;
  /**
   * Nodes beyond those that may join later (ids after nN), default 0: every node knows where
   * they listen from the start (as Jepsen's node list), and the log decides who votes.
   */
  spares?: number;
  dir: string;
  /** Node i (0-based) gets HTTP port base+2i and peer port base+2i+1; default: free ports. */
  basePort?: number;
  bugs?: readonly BugName[];
  /** The address `from` dials to reach `to` ("host:port"); default: `to`'s own peer port. */
  peerAddress?: (from: NodeId, to: NodeId, ports: { httpPort: number; peerPort: number }) => string;
  env?: Record<string, string>;
  /** More `tenrec node` flags for every node, e.g. ['--request-timeout-ms', '1000']. */
  nodeArgs?: string[];
  /** Extra flags for the node's `node` binary itself, e.g. ['--cpu-prof'] for profiling. */
  execArgv?: string[];
  /** How long to wait for a leader that serves (default 15 s). */
  leaderTimeoutMs?: number;
  /**
   * Where each node listens and what its command is prefixed with, e.g. its own network
   * namespace (`ip netns exec NS`); default 127.0.0.1, no prefix.
   */
  placement?: (id: NodeId) => { host: string; wrap?: string[] };
  /** The cluster's ownership token (ownership.ts); default a fresh one. */
  token?: string;
}

export interface NodeStatus {
  id: NodeId;
  pid: number;
  url: string;
  process: 'running' | 'paused' | 'dead';
  /** The node's GET /status, or null when it did not answer. */
  status: Record<string, unknown> | null;
}

export class ClusterError extends Error {
  override name = 'ClusterError';
}

function tail(path: string, lines = 15): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export class Cluster {
  private constructor(private record: ClusterRecord) {}

  get dir(): string {
    return this.record.dir;
  }

  /** The nodes in the cluster now (spares and removed members are not). */
  get nodes(): readonly ClusterNodeRecord[] {
    return this.record.nodes.filter((n) => !n.out);
  }

  get ids(): NodeId[] {
    return this.nodes.map((n) => n.id);
  }

  /** Every node that is or may become a member: members, spares and removed ones. */
  get pool(): readonly ClusterNodeRecord[] {
    return this.record.nodes;
  }

  /** Nodes that may join: spares not added yet and members removed. */
  get spares(): NodeId[] {
    return this.record.nodes.filter((n) => n.out).map((n) => n.id);
  }

  node(id: NodeId): ClusterNodeRecord {
    const n = this.record.nodes.find((x) => x.id === id);
    if (!n) throw new ClusterError(`no node ${id} in ${this.record.dir} (nodes: ${this.record.nodes.map((x) => x.id).join(', ')})`);
    return n;
  }

  /**
   * Reopen a cluster started earlier (possibly by another process); null if none is recorded.
   * A damaged or foreign cluster.json is a ClusterError naming the file.
   */
  static open(dir: string): Cluster | null {
    const record = readRecord(resolve(dir));
    return record ? new Cluster(record) : null;
  }

  static async start(options: StartClusterOptions): Promise<Cluster> {
    const dir = resolve(options.dir);
    if (existsSync(dir) && !lstatSync(dir).isDirectory()) throw new ClusterError(`--dir ${options.dir} is not a directory`);
    const existing = readRecord(dir);
    if (existing && existing.nodes.some((n) => ownsProcess(n.pid, existing.token, n.startTime))) {
      throw new ClusterError(`a cluster is already running in ${dir}; stop it first (tenrec cluster stop --dir ${options.dir})`);
    }
    const count = options.nodes ?? 3;
    if (!Number.isInteger(count) || count < 1) throw new ClusterError(`--nodes must be a positive integer, got ${count}`);
    const spareCount = options.spares ?? 0;
    if (!Number.isInteger(spareCount) || spareCount < 0) throw new ClusterError(`--spares must be a non-negative integer, got ${spareCount}`);
    mkdirSync(dir, { recursive: true });
    const pool = Array.from({ length: count + spareCount }, (_, i) => `n${i + 1}`);
    const members = pool.slice(0, count);
    const ports =
      options.basePort !== undefined
        ? Array.from({ length: 2 * pool.length }, (_, i) => options.basePort! + i)
        : await freePorts(2 * pool.length);
    const portsOf = (i: number) => ({ httpPort: ports[2 * i]!, peerPort: ports[2 * i + 1]! });
    const hostOf = (id: NodeId) => options.placement?.(id).host ?? HOST;
    const nodes: ClusterNodeRecord[] = pool.map((id, i) => {
      const { httpPort, peerPort } = portsOf(i);
      const peers: Record<NodeId, string> = {};
      pool.forEach((other, j) => {
        if (other === id) return;
        peers[other] = options.peerAddress?.(id, other, portsOf(j)) ?? `${hostOf(other)}:${portsOf(j).peerPort}`;
      });
      const host = hostOf(id);
      const wrap = options.placement?.(id).wrap;
      return {
        id, pid: 0, url: `http://${host}:${httpPort}`, httpPort, peerPort, peers, dir: join(dir, id), extraArgs: options.nodeArgs ?? [],
        ...(host !== HOST ? { host } : {}),
        ...(wrap?.length ? { wrap } : {}),
        ...(members.includes(id) ? {} : { out: true }),
      };
    });
    // A start is a new cluster: data left by an earlier one in the same dir would be recovered
    // by the new nodes as if it were theirs. Only node directories tenrec made (with a marker)
    // are removed; anything else in the way is the user's, and the start refuses.
    const stale = new Set([...nodes.map((n) => n.id), ...(existing?.nodes.map((n) => n.id) ?? [])]);
    for (const id of stale) {
      const nodeDir = join(dir, id);
      if (!existsSync(nodeDir)) continue;
      if (markerToken(nodeDir) === undefined) {
        throw new ClusterError(`${nodeDir} exists and was not made by tenrec (no ${MARKER_FILE} in it): remove it yourself, or choose another --dir`);
      }
      rmSync(nodeDir, { recursive: true, force: true });
    }
    const cluster = new Cluster({
      version: 2,
      dir,
      token: options.token ?? newToken(),
      members,
      bugs: [...(options.bugs ?? [])],
      env: options.env ?? {},
      execArgv: options.execArgv ?? [],
      entry: await nodeEntryArgs(dir),
      nodes,
    });
    try {
      for (const n of cluster.nodes) cluster.spawn(n);
      cluster.save();
      await Promise.all(cluster.nodes.map((n) => cluster.waitServing(n)));
      await cluster.waitForLeader(options.leaderTimeoutMs ?? 15_000);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  private save(): void {
    writeClusterFile(this.record);
  }

  private spawn(n: ClusterNodeRecord): void {
    mkdirSync(n.dir, { recursive: true });
    if (markerToken(n.dir) === undefined) writeMarker(n.dir, this.record.token);
    const args = [
      ...(this.record.execArgv ?? []),
      ...(this.record.entry ?? entryArgsFor(this.record.dir)),
      'node',
      '--id', n.id,
      '--members', this.record.members.join(','),
      '--http-port', String(n.httpPort),
      '--peer-port', String(n.peerPort),
      '--dir', n.dir,
      ...(n.host ? ['--host', n.host] : []),
      ...(this.record.members.includes(n.id) ? [] : ['--spare']),
      ...Object.entries(n.peers).flatMap(([peer, addr]) => ['--peer', `${peer}=${addr}`]),
      ...this.record.bugs.flatMap((b) => ['--bug', b]),
      ...n.extraArgs,
    ];
    // The node's stdout/stderr go straight to a file by fd (a shell redirect, then exec so the
    // pid is the node's): piping them through this process would break when a CLI parent exits.
    // A wrapper such as `ip netns exec NS` execs the node in turn, so the pid stays the node's.
    const command = [...(n.wrap ?? []), process.execPath, ...args];
    const child = execa('/bin/sh', ['-c', 'exec "$0" "$@" >>"$TENREC_NODE_OUTPUT" 2>&1', ...command], {
      detached: true, // own process group: signals reach the whole node, and it outlives a CLI parent
      cleanup: false,
      reject: false,
      stdio: 'ignore',
      cwd: REPO_ROOT, // where `--import tsx` resolves
      env: { ...this.record.env, TENREC_NODE_OUTPUT: join(n.dir, 'stderr.log'), [TOKEN_ENV]: this.record.token },
    });
    child.unref();
    if (child.pid === undefined) throw new ClusterError(`could not start node ${n.id}`);
    n.pid = child.pid;
    const started = processStartTime(child.pid);
    if (started !== undefined) n.startTime = started;
  }

  /** Wait until the node's HTTP API answers; fail early (with its stderr) if it died. */
  private async waitServing(n: ClusterNodeRecord, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (procState(n.pid) === 'dead') {
        throw new ClusterError(`node ${n.id} exited during start; ${join(n.dir, 'stderr.log')} ends with:\n${tail(join(n.dir, 'stderr.log'))}`);
      }
      try {
        const r = await probe(`${n.url}/status`, 'GET', 500);
        if (r.status === 200) {
          // Someone else answering on our port (another test's node) must not pass for ours.
          const pid = (r.body as { pid?: unknown }).pid;
          if (pid === n.pid) return;
          throw new ClusterError(`node ${n.id}: ${n.url} is answered by another process (pid ${String(pid)}, expected ${n.pid}); port taken?`);
        }
      } catch (err) {
        if (err instanceof ClusterError) throw err;
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new ClusterError(`node ${n.id} did not answer on ${n.url} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Wait until some node is leader and serves a linearizable read through it; returns its id.
   * Throws after timeoutMs.
   */
  async waitForLeader(timeoutMs = 15_000): Promise<NodeId> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const n of this.nodes) {
        if (procState(n.pid) !== 'running') continue;
        try {
          const s = await probe(`${n.url}/status`, 'GET', 300);
          const body = s.body as { role?: string; pid?: number };
          if (s.status !== 200 || body.role !== 'leader' || body.pid !== n.pid) continue;
          const r = await probe(`${n.url}/kv/__tenrec_probe`, 'GET', 1000);
          if (r.status === 200) return n.id;
        } catch {
          /* try the next node */
        }
      }
      if (Date.now() > deadline) throw new ClusterError(`no leader served a read within ${timeoutMs} ms (node logs under ${this.record.dir})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The current leader as reported by the nodes' /status, without waiting; null if none. */
  async leader(): Promise<NodeId | null> {
    for (const s of await this.status()) {
      if (s.process === 'running' && s.status?.role === 'leader') return s.id;
    }
    return null;
  }

  async status(): Promise<NodeStatus[]> {
    return Promise.all(this.nodes.map((n) => this.statusOf(n)));
  }

  /** The configuration the leader reports (who votes, who learns, since which slot); null without a leader. */
  async configuration(): Promise<{ leader: NodeId; voters: NodeId[]; learners: NodeId[]; slot: number } | null> {
    for (const s of await this.status()) {
      if (s.process !== 'running' || s.status?.role !== 'leader') continue;
      const c = s.status.configuration as { voters?: unknown; learners?: unknown; slot?: unknown } | undefined;
      const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
      return { leader: s.id, voters: ids(c?.voters), learners: ids(c?.learners), slot: typeof c?.slot === 'number' ? c.slot : 0 };
    }
    return null;
  }

  private async statusOf(n: ClusterNodeRecord): Promise<NodeStatus> {
    const alive = this.alive(n);
    const proc = alive ? procState(n.pid) : 'dead';
    let status: Record<string, unknown> | null = null;
    if (proc === 'running') {
      try {
        const r = await probe(`${n.url}/status`, 'GET', 500);
        if (r.status === 200 && typeof r.body === 'object' && (r.body as { pid?: unknown }).pid === n.pid) {
          status = r.body as Record<string, unknown>;
        }
      } catch {
        /* not answering */
      }
    }
    return { id: n.id, pid: n.pid, url: n.url, process: proc === 'running' || proc === 'paused' ? proc : 'dead', status };
  }

  /** Ours and alive: started by this cluster (its token) at the recorded time. */
  private alive(n: ClusterNodeRecord): boolean {
    return ownsProcess(n.pid, this.record.token, n.startTime);
  }

  /** The ownership token its nodes carry. */
  get token(): string {
    return this.record.token;
  }

  /** SIGKILL the node's process group (a crash: no flush, no goodbye). */
  async kill(id: NodeId): Promise<void> {
    const n = this.node(id);
    if (!this.alive(n)) return;
    signalGroup(n.pid, 'SIGKILL');
    if (!(await waitForExit(n.pid, 5000))) throw new ClusterError(`node ${id} (pid ${n.pid}) survived SIGKILL`);
  }

  /** SIGSTOP: the node stays connected but does nothing (a long GC pause, a hung VM). */
  async pause(id: NodeId): Promise<void> {
    const n = this.node(id);
    if (!this.alive(n)) throw new ClusterError(`node ${id} is not running`);
    signalGroup(n.pid, 'SIGSTOP');
    await this.waitProcState(n, 'paused');
  }

  /** Signals are delivered asynchronously: wait until /proc shows their effect. */
  private async waitProcState(n: ClusterNodeRecord, want: 'paused' | 'running'): Promise<void> {
    const deadline = Date.now() + 2000;
    while (procState(n.pid) !== want) {
      if (procState(n.pid) === 'dead') throw new ClusterError(`node ${n.id} died`);
      if (Date.now() > deadline) throw new ClusterError(`node ${n.id} (pid ${n.pid}) did not become ${want}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async resume(id: NodeId): Promise<void> {
    const n = this.node(id);
    if (!this.alive(n)) throw new ClusterError(`node ${id} is not running`);
    signalGroup(n.pid, 'SIGCONT');
    await this.waitProcState(n, 'running');
  }

  /** Start the node again with its data directory (stopping it first if it still runs). */
  async restart(id: NodeId, options: { waitServing?: boolean } = {}): Promise<void> {
    const n = this.node(id);
    if (this.alive(n)) await terminate(n.pid);
    this.spawn(n);
    this.save();
    if (options.waitServing !== false) await this.waitServing(n);
  }

  /**
   * Start a spare (or a removed member, on its old data) and add it through the log: it catches
   * up as a learner, then votes. Resolves once the cluster says it is a voter.
   */
  async addMember(id: NodeId, timeoutMs = 30_000, onProgress?: (line: string) => void): Promise<void> {
    const n = this.node(id);
    if (!n.out) throw new ClusterError(`${id} is already a member (spares: ${this.spares.join(', ') || 'none'})`);
    if (!this.alive(n)) this.spawn(n);
    n.out = false;
    this.save();
    await this.waitServing(n);
    onProgress?.(`${id} started (pid ${n.pid}); asking the leader to add it`);
    await this.changeMembers({ op: 'add', node: id }, timeoutMs);
  }

  /** Start a spare's process without adding it yet: it runs as a non-voter that nobody sends to. */
  async startSpare(id: NodeId): Promise<void> {
    const n = this.node(id);
    if (!n.out) throw new ClusterError(`${id} is already a member`);
    if (this.alive(n)) return;
    this.spawn(n);
    this.save();
    await this.waitServing(n);
  }

  /** Remove a member through the log (a leader hands over), wait until it knows, then stop it. */
  async removeMember(id: NodeId, timeoutMs = 30_000, onProgress?: (line: string) => void): Promise<void> {
    const n = this.node(id);
    if (n.out) throw new ClusterError(`${id} is not a member (members: ${this.ids.join(', ')})`);
    await this.changeMembers({ op: 'remove', node: id }, timeoutMs);
    onProgress?.(`the cluster removed ${id}; stopping it`);
    // Let it hear of its own removal first (a leader hands over), then stop it.
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline && this.alive(n)) {
      const s = (await this.statusOf(n)).status as { configuration?: { voters?: unknown } } | null;
      const voters = s?.configuration?.voters;
      if (!s || (Array.isArray(voters) && !voters.includes(id))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (this.alive(n)) await terminate(n.pid);
    n.out = true;
    this.save();
  }

  /** POST /admin/members to a running member until one answers the change as made. */
  private async changeMembers(change: { op: 'add' | 'remove'; node: NodeId }, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no member answered';
    while (Date.now() < deadline) {
      const leader = await this.leader();
      const targets = [...(leader ? [this.node(leader)] : []), ...this.nodes.filter((x) => x.id !== leader && x.id !== change.node)];
      for (const t of targets) {
        if (!this.alive(t)) continue;
        try {
          const r = await probe(`${t.url}/admin/members`, 'POST', Math.min(12_000, Math.max(500, deadline - Date.now())), JSON.stringify(change), { 'tenrec-token': this.record.token });
          if (r.status === 200) return;
          const body = r.body as { error?: unknown; message?: unknown };
          last = `${t.id} answered ${r.status} ${String(body?.error ?? '')}${body?.message ? `: ${String(body.message)}` : ''}`;
          // A refusal that waiting cannot mend (removing the only voter) ends it here.
          if (r.status === 409 && !/in progress/.test(String(body?.message ?? ''))) throw new ClusterError(`${change.op} ${change.node}: ${last}`);
          if (r.status !== 503) break;
        } catch (err) {
          if (err instanceof ClusterError) throw err;
          last = `${t.id}: ${(err as Error).message}`;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new ClusterError(`${change.op} ${change.node}: not done within ${timeoutMs} ms (last: ${last})`);
  }

  /** SIGTERM every node (SIGKILL after a grace period); returns when no node process is left. */
  async stop(): Promise<void> {
    await Promise.all(this.record.nodes.map((n) => (n.pid > 0 && this.alive(n) ? terminate(n.pid) : Promise.resolve())));
    // A node respawned while we were stopping (a racing restart) is in no record we read, but
    // it carries the cluster's token.
    killProcessesWithToken(this.record.token);
  }

  toJSON(): { dir: string; nodes: { id: NodeId; pid: number; url: string; httpPort: number; peerPort: number; spare?: true }[] } {
    return {
      dir: this.record.dir,
      nodes: this.record.nodes.map(({ id, pid, url, httpPort, peerPort, out }) => ({ id, pid, url, httpPort, peerPort, ...(out ? { spare: true as const } : {}) })),
    };
  }
}

function readRecord(dir: string): ClusterRecord | null {
  try {
    return readClusterFile(dir);
  } catch (err) {
    if (err instanceof ClusterFileError) throw new ClusterError(err.message);
    throw err;
  }
}

export function startCluster(options: StartClusterOptions): Promise<Cluster> {
  return Cluster.start(options);
}

export function openCluster(dir: string): Cluster | null {
  return Cluster.open(dir);
}
