// Partitions between remote hosts as packet filters on the hosts themselves (root there, as
// Jepsen's iptables needs): on each sender, a traffic-control filter sends its packets for a cut
// peer into a queue of length zero (src/net/tc-blackhole.ts, the rule `--net netns` uses too).
// Only traffic to the cut peers' addresses is touched; the control machine's clients and SSH
// keep working.
//
// The interface toward the peers gets our root queueing discipline for the run (replacing what
// it had; the guard and `clear` delete it, which gives the interface the kernel's default back).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { NetFaults } from '../system/db.ts';
import { FILTER_DEV_FILE, FILTER_QDISC, type HostNodes } from './host-nodes.ts';
import { must, shq, type Remote } from './remote.ts';
import { blackholeCuts, blackholeHealArgs, blackholeSetup } from '../net/tc-blackhole.ts';

const Q = FILTER_QDISC; // "7e57:"
const DEV_NAME = /^[A-Za-z0-9@._-]{1,15}$/;
const heal = (dev: string) => `tc ${blackholeHealArgs(dev, Q).join(' ')} 2>/dev/null; true`;

interface Sender {
  id: string;
  remote: Remote;
  dev: string;
}

export class HostFilters implements NetFaults {
  private constructor(
    private readonly senders: Sender[],
    private readonly ip: Map<string, string>,
  ) {}

  /** Installs the (empty) filter set-up on every node's host. */
  static async create(ids: readonly string[], hosts: HostNodes): Promise<HostFilters> {
    const ip = new Map<string, string>();
    for (const id of ids) {
      const address = hosts.remoteOf(id).address;
      ip.set(id, isIP(address) === 4 ? address : (await lookup(address, { family: 4 })).address);
    }
    const senders = await Promise.all(
      ids.map(async (id): Promise<Sender> => {
        const remote = hosts.remoteOf(id);
        const peer = ids.find((x) => x !== id);
        const route = peer ? await must(remote, `ip -o route get ${ip.get(peer)}`, 'finding the interface toward the peers') : '';
        const dev = / dev (\S+)/.exec(route)?.[1] ?? 'lo';
        if (!DEV_NAME.test(dev)) throw new Error(`${remote.name}: unexpected interface name ${JSON.stringify(dev)}`);
        // Named in the run directory first, so the guard removes it even if the next step fails.
        await must(remote, `printf %s ${shq(dev)} > ${shq(hosts.runDir(remote))}/${FILTER_DEV_FILE}`, 'recording the filter interface');
        await must(remote, 'tc -batch -', `setting up packet filters on ${dev} (needs root and iproute2's tc on the host)`, blackholeSetup(dev, Q, '7e58:').join('\n') + '\n');
        return { id, remote, dev };
      }),
    );
    return new HostFilters(senders, ip);
  }

  async blackhole(drops: (from: string, to: string) => boolean): Promise<void> {
    await Promise.all(
      this.senders.map(async (s) => {
        const cut = this.senders.filter((t) => t !== s && drops(s.id, t.id)).map((t) => this.ip.get(t.id)!);
        const adds = blackholeCuts(s.dev, Q, cut);
        const batch = adds.length ? ` && printf '%s\\n' ${adds.map(shq).join(' ')} | tc -batch -` : '';
        await must(s.remote, `{ ${heal(s.dev)}; }${batch}`, 'cutting links');
      }),
    );
  }

  async heal(): Promise<void> {
    await Promise.all(this.senders.map((s) => s.remote.exec(heal(s.dev))));
  }

  /** Removes the queueing discipline (and every filter with it) from each host. */
  async clear(): Promise<void> {
    await Promise.all(this.senders.map((s) => s.remote.exec(`tc qdisc show dev ${s.dev} | grep -q 'htb ${Q}' && tc qdisc del dev ${s.dev} root; true`)));
  }
}
