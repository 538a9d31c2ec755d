// The Paxos cluster on remote hosts (`tenrec test --hosts …`): one node per host, reached over
// SSH for everything but the clients' HTTP (which goes from the control machine to each node's
// address, as Jepsen's clients do). The node bundle this machine builds is shipped to every host
// and run there with the host's `node`; kill and pause are signals sent over SSH; partitions are
// packet filters on the hosts (src/remote/host-filters.ts); the logs come back at the end.

import { mkdirSync } from 'node:fs';
import type { DbCore, DbNode, FailpointAction, Failpoints, Kill, LogFile, Net, NetFaults, Pause, Primary } from '../../system/db.ts';
import type { HostSet } from '../../remote/hosts-file.ts';
import { HostNodes } from '../../remote/host-nodes.ts';
import { HostFilters } from '../../remote/host-filters.ts';
import { SshRemote } from '../../remote/ssh.ts';
import type { Remote } from '../../remote/remote.ts';
import { nodeEntryArgs } from './cluster/node-entry.ts';
import { probe } from './cluster/http-probe.ts';
import { FAILPOINTS } from './node/failpoints.ts';
import { armFailpoint, disarmFailpoints } from './failpoint-admin.ts';
import type { BugName } from './types.ts';

/** Every node listens on these ports of its own host. */
export const HOST_HTTP_PORT = 7101;
export const HOST_PEER_PORT = 7102;

export interface PaxosHostsDbOptions {
  hosts: HostSet;
  /** Local directory: the bundle is built here and the logs come back here. */
  dir: string;
  token: string;
  bugs: readonly BugName[];
  /** Set up packet filters (the run has partitions). */
  partitions: boolean;
  /** How the hosts are reached; default SSH (tests may hand in other Remotes). */
  connect?: (target: HostSet['targets'][number]) => Promise<Remote>;
}

interface HostNode extends DbNode {
  pid: number;
}

export class PaxosHostsDb implements DbCore, Kill, Pause, Primary, Net, Failpoints {
  private readonly remotes: Remote[] = [];
  private hosts?: HostNodes;
  private filters?: HostFilters;
  private members: HostNode[] = [];
  private logs: LogFile[] = [];
  readonly net: NetFaults = {
    blackhole: (drops) => this.filters?.blackhole(drops),
    heal: () => this.filters?.heal(),
  };

  constructor(private readonly o: PaxosHostsDbOptions) {}

  async setup(): Promise<void> {
    const connect = this.o.connect ?? ((t) => SshRemote.connect(t));
    const targets = this.o.hosts.targets;
    for (const r of await Promise.allSettled(targets.map((t) => connect(t)))) {
      if (r.status === 'fulfilled') this.remotes.push(r.value);
      else throw r.reason;
    }
    const ids = targets.map((_, i) => `n${i + 1}`);
    const hosts = (this.hosts = new HostNodes(this.o.hosts.dir, this.o.token, this.o.dir));
    ids.forEach((id, i) => hosts.place(id, this.remotes[i]!));
    await hosts.prepare(['node', 'setsid', ...(this.o.partitions ? ['tc', 'ip'] : [])]);
    mkdirSync(this.o.dir, { recursive: true });
    const entry = await nodeEntryArgs(this.o.dir);
    const bundle = entry.find((a) => a.endsWith('.mjs'));
    if (!bundle) throw new Error('the node bundle could not be built (esbuild), so there is nothing to ship to the hosts');
    const shipped = (r: Remote) => `${hosts.runDir(r)}/node-bundle.mjs`;
    await Promise.all(this.remotes.map(async (r) => {
      await r.upload(bundle, shipped(r));
      await r.upload(`${bundle}.map`, `${shipped(r)}.map`);
    }));
    if (this.o.partitions) this.filters = await HostFilters.create(ids, hosts);
    const address = (id: string) => hosts.remoteOf(id).address;
    for (const id of ids) {
      const argv = [
        'node', '--enable-source-maps', shipped(hosts.remoteOf(id)), 'node',
        '--id', id,
        '--members', ids.join(','),
        '--host', address(id),
        '--http-port', String(HOST_HTTP_PORT),
        '--peer-port', String(HOST_PEER_PORT),
        '--dir', hosts.nodeDir(id),
        ...ids.filter((x) => x !== id).flatMap((p) => ['--peer', `${p}=${address(p)}:${HOST_PEER_PORT}`]),
        ...this.o.bugs.flatMap((b) => ['--bug', b]),
      ];
      const pid = await hosts.start(id, { argv });
      this.members.push({ id, url: `http://${address(id)}:${HOST_HTTP_PORT}`, pid });
    }
    if (!(await this.waitHealthy(30_000))) throw new Error(`the nodes on ${targets.map((t) => t.name).join(', ')} did not elect a leader that serves within 30 s (their logs come back into the run directory)`);
  }

  nodes(): DbNode[] {
    return this.members.map(({ id, url }) => ({ id, url }));
  }

  private get h(): HostNodes {
    if (!this.hosts) throw new Error('the hosts are not set up');
    return this.hosts;
  }

  private member(id: string): HostNode {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no node ${id}`);
    return m;
  }

  kill = (id: string) => this.h.kill(id);
  pause = (id: string) => this.h.pause(id);
  resume = (id: string) => this.h.resume(id);

  async restart(id: string): Promise<void> {
    if (await this.h.alive(id)) return;
    await this.h.restart(id);
  }

  /** Whether the node at `url` answers /status, and its role. */
  private async status(id: string, timeoutMs: number): Promise<{ role?: string } | null> {
    try {
      const r = await probe(`${this.member(id).url}/status`, 'GET', timeoutMs);
      return r.status === 200 && typeof r.body === 'object' && r.body ? (r.body as { role?: string }) : null;
    } catch {
      return null;
    }
  }

  async leader(): Promise<string | null> {
    const all = await Promise.all(this.members.map(async (m) => ((await this.status(m.id, 500))?.role === 'leader' ? m.id : null)));
    return all.find((x) => x !== null) ?? null;
  }

  /** Every node answers, and a leader serves a read. */
  async waitHealthy(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const up = await Promise.all(this.members.map((m) => this.status(m.id, 500)));
      const leader = this.members.find((_, i) => up[i]?.role === 'leader');
      if (up.every((s) => s !== null) && leader) {
        try {
          if ((await probe(`${leader.url}/kv/__tenrec_probe`, 'GET', 1000)).status === 200) return true;
        } catch {
          /* not yet */
        }
      }
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  failpoints(): readonly string[] {
    return FAILPOINTS;
  }

  armFailpoint(id: string, point: string, action: FailpointAction): Promise<void> {
    return armFailpoint(this.member(id).url, this.o.token, point, action);
  }

  disarmFailpoints(id: string): Promise<void> {
    return disarmFailpoints(this.member(id).url, this.o.token);
  }

  /** Nothing runs on this machine: the nodes are the hosts' processes. */
  startedPids(): number[] {
    return [];
  }

  logFiles(): LogFile[] {
    return this.logs;
  }

  async teardown(): Promise<void> {
    try {
      if (this.hosts) {
        await this.hosts.stopAll().catch(() => {});
        this.logs = await this.hosts.fetchLogs(['node.log', 'stderr.log']).catch(() => []);
        await this.filters?.clear();
      }
    } finally {
      // Each guard removes whatever is left of the run on its host (processes, filters, files).
      await this.hosts?.release();
      await Promise.all(this.remotes.map((r) => r.close().catch(() => {})));
    }
  }
}

