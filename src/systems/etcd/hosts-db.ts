// etcd on remote hosts (`tenrec test --db etcd --hosts …`): one member per host, the host's own
// etcd binary (installed there, e.g. Debian's etcd-server), listening on the host's address;
// peers talk directly and partitions are packet filters on the hosts (src/remote/), so no member
// proxy is needed and every shape works. Kill and pause are signals over SSH.
import type { DbCore, DbNode, Kill, LogFile, Net, NetFaults, Pause, Primary } from '../../system/db.ts';
import type { HostSet } from '../../remote/hosts-file.ts';
import { HostRun } from '../../remote/host-run.ts';
import { EtcdMembers, memberArgs } from './members.ts';

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;

export interface EtcdHostsDbOptions {
  hosts: HostSet;
  dir: string;
  token: string;
  partitions: boolean;
}

export class EtcdHostsDb implements DbCore, Kill, Pause, Primary, Net {
  private run?: HostRun;
  private members: DbNode[] = [];
  private logs: LogFile[] = [];
  private readonly agreement = new EtcdMembers(() => this.members);
  readonly net: NetFaults = {
    blackhole: (drops) => this.run?.net.blackhole(drops),
    heal: () => this.run?.net.heal(),
  };

  constructor(private readonly o: EtcdHostsDbOptions) {}

  async setup(): Promise<void> {
    const run = (this.run = await HostRun.open({ hosts: this.o.hosts, token: this.o.token, dir: this.o.dir, needs: ['etcd'], partitions: this.o.partitions }));
    const peer = (id: string) => `http://${run.address(id)}:${PEER_PORT}`;
    const initialCluster = run.ids.map((id) => `${id}=${peer(id)}`).join(',');
    for (const id of run.ids) {
      const url = `http://${run.address(id)}:${CLIENT_PORT}`;
      await run.nodes.start(id, {
        argv: ['etcd', ...memberArgs({ id, dataDir: `${run.nodes.nodeDir(id)}/data`, clientUrl: url, listenPeerUrl: peer(id), advertisedPeerUrl: peer(id), initialCluster, token: this.o.token })],
      });
      this.members.push({ id, url });
    }
    if (!(await this.waitHealthy(30_000))) throw new Error('the etcd members on the hosts did not agree on a leader within 30 s (their logs come back into the run directory)');
  }

  waitHealthy(timeoutMs: number): Promise<boolean> {
    return this.agreement.waitAgreed(timeoutMs);
  }

  nodes(): DbNode[] {
    return [...this.members];
  }

  leader(): Promise<string | null> {
    return this.agreement.leader();
  }

  private get h() {
    if (!this.run) throw new Error('the hosts are not set up');
    return this.run.nodes;
  }

  kill = (id: string) => this.h.kill(id);
  restart = (id: string) => this.h.restart(id);
  pause = (id: string) => this.h.pause(id);
  resume = (id: string) => this.h.resume(id);

  startedPids(): number[] {
    return [];
  }

  logFiles(): LogFile[] {
    return this.logs;
  }

  async teardown(): Promise<void> {
    this.logs = (await this.run?.close(['stderr.log'])) ?? [];
  }
}
