// One run's hold on its hosts, for a system whose DB runs one node per host: the connections,
// the nodes' processes (HostNodes), the packet filters (HostFilters), and the end of it all,
// which brings the logs back and leaves nothing behind. A DB adds only what its nodes are.
import type { LogFile, NetFaults } from '../system/db.ts';
import type { HostSet } from './hosts-file.ts';
import { HostFilters } from './host-filters.ts';
import { HostNodes } from './host-nodes.ts';
import type { Remote } from './remote.ts';
import { SshRemote } from './ssh.ts';

export interface HostRunOptions {
  hosts: HostSet;
  token: string;
  /** Local directory the logs come back to. */
  dir: string;
  /** Programs each host must have on its PATH. */
  needs: readonly string[];
  /** Set up packet filters (the run has partitions). */
  partitions: boolean;
  /** How hosts are reached; default SSH (tests may hand in other Remotes). */
  connect?: (target: HostSet['targets'][number]) => Promise<Remote>;
}

export class HostRun {
  private filters?: HostFilters;
  readonly net: NetFaults = {
    blackhole: (drops) => this.filters?.blackhole(drops),
    heal: () => this.filters?.heal(),
  };

  private constructor(
    readonly nodes: HostNodes,
    readonly ids: string[],
    private readonly remotes: Remote[],
  ) {}

  /** Connects to every host, places node n<i> on host i, makes the run's directories, starts the guards. */
  static async open(o: HostRunOptions): Promise<HostRun> {
    const connect = o.connect ?? ((t) => SshRemote.connect(t));
    const settled = await Promise.allSettled(o.hosts.targets.map((t) => connect(t)));
    const remotes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(remotes.map((r) => r.close().catch(() => {})));
      throw failed.reason;
    }
    const ids = remotes.map((_, i) => `n${i + 1}`);
    const nodes = new HostNodes(o.hosts.dir, o.token, o.dir);
    ids.forEach((id, i) => nodes.place(id, remotes[i]!));
    const run = new HostRun(nodes, ids, remotes);
    try {
      await nodes.prepare([...o.needs, 'setsid', ...(o.partitions ? ['tc', 'ip'] : [])]);
      if (o.partitions) run.filters = await HostFilters.create(ids, nodes);
    } catch (err) {
      await run.close([]);
      throw err;
    }
    return run;
  }

  address(id: string): string {
    return this.nodes.remoteOf(id).address;
  }

  /** Stops the nodes, brings back each node's `files`, removes the filters, ends the guards. */
  async close(files: readonly string[]): Promise<LogFile[]> {
    let logs: LogFile[] = [];
    try {
      await this.nodes.stopAll().catch(() => {});
      logs = await this.nodes.fetchLogs(files).catch(() => []);
      await this.filters?.clear();
    } finally {
      // Each guard removes whatever is left of the run on its host (processes, filters, files).
      await this.nodes.release();
      await Promise.all(this.remotes.map((r) => r.close().catch(() => {})));
    }
    return logs;
  }
}
