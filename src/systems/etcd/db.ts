// N members of Debian's etcd-server (3.4) on 127.0.0.1, fresh data directories per run, peer
// traffic through one proxy per member (src/net/member-proxy.ts) so partitions need no root;
// clients talk to each member's client port directly. Kill, pause and restart by signals
// (LocalNodes); the leader is asked of the members themselves.
import { join } from 'node:path';
import { freePorts } from '../../net/free-port.ts';
import { MemberProxyNet } from '../../net/member-proxy.ts';
import { LocalNodes } from '../../system/local-nodes.ts';
import type { DbCore, DbNode, Kill, LogFile, Net, NetFaults, Pause, Primary } from '../../system/db.ts';
import { EtcdMembers, memberArgs } from './members.ts';
import { etcdBinary } from './install.ts';

export interface EtcdDbOptions {
  nodes: number;
  dir: string;
  token: string;
}

export class EtcdDb implements DbCore, Kill, Pause, Primary, Net {
  private readonly local: LocalNodes;
  private proxies?: MemberProxyNet;
  private members: (DbNode & { peerPort: number })[] = [];
  private readonly agreement = new EtcdMembers(() => this.nodes(), (idHex, name) => this.proxies?.learn(idHex, name));
  readonly net: NetFaults = {
    blackhole: (drops) => this.proxies?.blackhole(drops),
    heal: () => this.proxies?.heal(),
  };

  constructor(private readonly o: EtcdDbOptions) {
    this.local = new LocalNodes(join(o.dir, 'logs'), o.token);
  }

  async setup(): Promise<void> {
    const bin = etcdBinary();
    const ids = Array.from({ length: this.o.nodes }, (_, i) => `n${i + 1}`);
    const ports = await freePorts(2 * ids.length);
    this.members = ids.map((id, i) => ({ id, url: `http://127.0.0.1:${ports[2 * i]}`, peerPort: ports[2 * i + 1]! }));
    const proxies = await MemberProxyNet.create(ids, (id) => this.members.find((m) => m.id === id)?.peerPort);
    this.proxies = proxies;
    const advertised = (id: string) => `http://127.0.0.1:${proxies.port(id)}`;
    const initialCluster = ids.map((id) => `${id}=${advertised(id)}`).join(',');
    for (const m of this.members) {
      this.local.start(m.id, {
        command: bin,
        args: memberArgs({ id: m.id, dataDir: join(this.o.dir, `${m.id}.etcd`), clientUrl: m.url, listenPeerUrl: `http://127.0.0.1:${m.peerPort}`, advertisedPeerUrl: advertised(m.id), initialCluster, token: this.o.token }),
      });
    }
    if (!(await this.waitHealthy(30_000))) throw new Error('the etcd members did not agree on a leader within 30 s (see the member logs)');
  }

  /** Every member answers and all name the same leader. */
  waitHealthy(timeoutMs: number): Promise<boolean> {
    return this.agreement.waitAgreed(timeoutMs);
  }

  nodes(): DbNode[] {
    return this.members.map(({ id, url }) => ({ id, url }));
  }

  leader(): Promise<string | null> {
    return this.agreement.leader();
  }

  kill = (id: string) => this.local.kill(id);
  restart = (id: string) => this.local.restart(id);
  pause = (id: string) => this.local.pause(id);
  resume = (id: string) => this.local.resume(id);
  startedPids = () => this.local.startedPids();

  logFiles(): LogFile[] {
    return this.local.logFiles();
  }

  async teardown(): Promise<void> {
    try {
      await this.local.stopAll();
    } finally {
      await this.proxies?.close();
    }
  }
}
