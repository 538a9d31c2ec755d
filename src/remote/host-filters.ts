// Partitions between remote hosts as packet filters on the hosts themselves (root there, as
// Jepsen's iptables needs): on each sender, a traffic-control filter sends its packets for a cut
// peer into a queue of length zero, so they vanish silently (connections hang, nothing is
// refused), the same rule src/net/netns.ts installs in namespaces. Only traffic to the cut peers'
// addresses is touched; the control machine's clients and SSH keep working.
//
// The interface toward the peers gets our root queueing discipline for the run (replacing what
// it had; the guard and `clear` delete it, which gives the interface the kernel's default back).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { NetFaults } from '../system/db.ts';
import { FILTER_DEV_FILE, FILTER_QDISC, type HostNodes } from './host-nodes.ts';
import { must, shq, type Remote } from './remote.ts';

const Q = FILTER_QDISC; // "7e57:"
const DEV_NAME = /^[A-Za-z0-9@._-]{1,15}$/;

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
        await must(
          remote,
          'tc -batch -',
          `setting up packet filters on ${dev} (needs root and iproute2's tc on the host)`,
          [
            `qdisc replace dev ${dev} root handle ${Q} htb default 1 r2q 100000`,
            `class add dev ${dev} parent ${Q} classid ${Q}1 htb rate 10gbit`,
            `class add dev ${dev} parent ${Q} classid ${Q}2 htb rate 10gbit`,
            `qdisc add dev ${dev} parent ${Q}2 handle 7e58: pfifo limit 0`,
          ].join('\n') + '\n',
        );
        return { id, remote, dev };
      }),
    );
    return new HostFilters(senders, ip);
  }

  async blackhole(drops: (from: string, to: string) => boolean): Promise<void> {
    await Promise.all(
      this.senders.map(async (s) => {
        const cut = this.senders.filter((t) => t !== s && drops(s.id, t.id)).map((t) => this.ip.get(t.id)!);
        const adds = cut.map((dst) => `filter add dev ${s.dev} parent ${Q} protocol ip prio 1 u32 match ip dst ${dst}/32 flowid ${Q}2`);
        const batch = adds.length ? ` && printf '%s\\n' ${adds.map(shq).join(' ')} | tc -batch -` : '';
        await must(s.remote, `{ tc filter del dev ${s.dev} parent ${Q} prio 1 2>/dev/null; true; }${batch}`, 'cutting links');
      }),
    );
  }

  async heal(): Promise<void> {
    await Promise.all(this.senders.map((s) => s.remote.exec(`tc filter del dev ${s.dev} parent ${Q} prio 1 2>/dev/null; true`)));
  }

  /** The filters now in force on a node's host (tests, diagnostics). */
  async filtersOf(id: string): Promise<string> {
    const s = this.senders.find((x) => x.id === id);
    return s ? (await s.remote.exec(`tc filter show dev ${s.dev} parent ${Q}`)).stdout : '';
  }

  /** Removes the queueing discipline (and every filter with it) from each host. */
  async clear(): Promise<void> {
    await Promise.all(this.senders.map((s) => s.remote.exec(`tc qdisc show dev ${s.dev} | grep -q 'htb ${Q}' && tc qdisc del dev ${s.dev} root; true`)));
  }
}
