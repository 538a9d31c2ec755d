// The Paxos cluster on remote hosts (`tenrec test --hosts …`): one node per host, reached over
// SSH for everything but the clients' HTTP (which goes from the control machine to each node's
// address, as Jepsen's clients do). The node bundle this machine builds is shipped to every host
// and run there with the host's `node`; kill and pause are signals sent over SSH; partitions are
// packet filters on the hosts (src/remote/host-filters.ts); the logs come back at the end.

import { mkdirSync } from 'node:fs';
import type { DbCore, DbNode, FailpointAction, Failpoints, Kill, LogFile, Net, NetFaults, Pause, Primary } from '../../system/db.ts';
import type { HostSet } from '../../remote/hosts-file.ts';
import type { HostNodes } from '../../remote/host-nodes.ts';
import { HostRun, type HostRunOptions } from '../../remote/host-run.ts';
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
  /** Extra `tenrec node` flags (--db-option leases). */
  nodeArgs?: readonly string[];
  /** Set up packet filters (the run has partitions). */
  partitions: boolean;
  /** How the hosts are reached; default SSH (tests may hand in other Remotes). */
  connect?: HostRunOptions['connect'];
}

export class PaxosHostsDb implements DbCore, Kill, Pause, Primary, Net, Failpoints {
  private run?: HostRun;
  private members: DbNode[] = [];
  private logs: LogFile[] = [];
  readonly net: NetFaults = {
    blackhole: (drops) => this.run?.net.blackhole(drops),
    heal: () => this.run?.net.heal(),
  };

  constructor(private readonly o: PaxosHostsDbOptions) {}

  async setup(): Promise<void> {
    const run = (this.run = await HostRun.open({ hosts: this.o.hosts, token: this.o.token, dir: this.o.dir, needs: ['node'], partitions: this.o.partitions, ...(this.o.connect ? { connect: this.o.connect } : {}) }));
    const hosts = run.nodes;
    const ids = run.ids;
    mkdirSync(this.o.dir, { recursive: true });
    const entry = await nodeEntryArgs(this.o.dir);
    const bundle = entry.find((a) => a.endsWith('.mjs'));
    if (!bundle) throw new Error('the node bundle could not be built (esbuild), so there is nothing to ship to the hosts');
    const shipped = (id: string) => `${hosts.runDir(hosts.remoteOf(id))}/node-bundle.mjs`;
    await Promise.all(ids.map(async (id) => {
      await hosts.remoteOf(id).upload(bundle, shipped(id));
      await hosts.remoteOf(id).upload(`${bundle}.map`, `${shipped(id)}.map`);
    }));
    const address = (id: string) => run.address(id);
    for (const id of ids) {
      const argv = [
        'node', '--enable-source-maps', shipped(id), 'node',
        '--id', id,
        '--members', ids.join(','),
        '--host', address(id),
        '--http-port', String(HOST_HTTP_PORT),
        '--peer-port', String(HOST_PEER_PORT),
        '--dir', hosts.nodeDir(id),
        ...ids.filter((x) => x !== id).flatMap((p) => ['--peer', `${p}=${address(p)}:${HOST_PEER_PORT}`]),
        ...this.o.bugs.flatMap((b) => ['--bug', b]),
        ...(this.o.nodeArgs ?? []),
      ];
      await hosts.start(id, { argv });
      this.members.push({ id, url: `http://${address(id)}:${HOST_HTTP_PORT}` });
    }
    if (!(await this.waitHealthy(30_000))) throw new Error(`the nodes on ${this.o.hosts.targets.map((t) => t.name).join(', ')} did not elect a leader that serves within 30 s (their logs come back into the run directory)`);
  }

  nodes(): DbNode[] {
    return [...this.members];
  }

  private get h(): HostNodes {
    if (!this.run) throw new Error('the hosts are not set up');
    return this.run.nodes;
  }
  private member(id: string): DbNode {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no node ${id}`);
    return m;
  }

  kill = (id: string) => this.h.kill(id);
  restart = (id: string) => this.h.restart(id);
  pause = (id: string) => this.h.pause(id);
  resume = (id: string) => this.h.resume(id);

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
    this.logs = (await this.run?.close(['node.log', 'stderr.log'])) ?? [];
  }
}
