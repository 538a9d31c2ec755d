// What every etcd DB asks of its members, wherever they run: are they agreed on a leader, and
// who is it. Members name each other by etcd's member id; `names` maps those to ours.
import type { DbNode } from '../../system/db.ts';
import { status } from './gateway.ts';

export class EtcdMembers {
  /** Member id (decimal, as the gateway writes it) to our name. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly members: () => readonly DbNode[],
    /** Told each member's id (hex) as it is learned (the member proxies tell senders apart by it). */
    private readonly learn: (idHex: string, name: string) => void = () => {},
  ) {}

  /** Every member answers and all name the same leader. */
  async waitAgreed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const members = this.members();
      const all = await Promise.all(members.map((m) => status(m.url, 1000)));
      all.forEach((s, i) => {
        if (!s) return;
        this.names.set(s.memberId, members[i]!.id);
        this.learn(BigInt(s.memberId).toString(16), members[i]!.id);
      });
      if (all.every((s) => s && s.leader !== '0' && s.leader === all[0]!.leader)) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async leader(): Promise<string | null> {
    for (const m of this.members()) {
      const s = await status(m.url, 500);
      if (s && s.leader !== '0') return this.names.get(s.leader) ?? null;
    }
    return null;
  }
}

/** The flags that start member `id` of a new cluster. */
export function memberArgs(o: { id: string; dataDir: string; clientUrl: string; listenPeerUrl: string; advertisedPeerUrl: string; initialCluster: string; token: string }): string[] {
  return [
    '--name', o.id,
    '--data-dir', o.dataDir,
    '--listen-client-urls', o.clientUrl,
    '--advertise-client-urls', o.clientUrl,
    '--listen-peer-urls', o.listenPeerUrl,
    '--initial-advertise-peer-urls', o.advertisedPeerUrl,
    '--initial-cluster', o.initialCluster,
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', `tenrec-${o.token.slice(0, 12)}`,
    '--logger', 'zap',
    '--log-outputs', 'stderr',
  ];
}
