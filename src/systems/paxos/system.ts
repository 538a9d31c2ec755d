// tenrec's own Multi-Paxos register cluster as a system under test: its DB (real node processes
// behind the fault proxy or in namespaces), its HTTP client, and its switchable bugs.
import type { SwitchableBug, System } from '../../system/system.ts';
import { BUG_NAMES, DEFAULT_LEASE_MS, type BugName } from './types.ts';
import { PaxosDb } from './db.ts';
import { PaxosHostsDb } from './hosts-db.ts';
import { paxosClients } from './client-factory.ts';

/**
 * What catches each bug best in real runs (bench/detection-rate.ts measures it). Stale or
 * duplicated answers show best with many ops in flight; a lost commit at the default load, where
 * the commit index often waits for the next heartbeat, so more of what a dead leader acknowledged
 * was still unknown to the others.
 */
const CATCH_WITH: Record<BugName, NonNullable<SwitchableBug['catchWith']>> = {
  // The cut-off leader answers from its state until check-quorum ends its term, while the others
  // elect a new leader and write: its clients must keep reading meanwhile (see lease-wall-clock).
  'local-read': { nemesis: ['partition'], concurrency: 30, rate: 1000, nemesisInterval: 1.5, opTimeoutMs: 200 },
  // A paused leader leaves increments in flight; the client resends them (same ids) elsewhere,
  // and the next leader's recovery also chooses the first copies it finds accepted.
  'no-dedup': { nemesis: ['pause'], concurrency: 30, rate: 1000 },
  'ack-before-fsync': { nemesis: ['power-loss'], concurrency: 30, rate: 1000 },
  'leader-skips-recovery': { nemesis: ['kill'], concurrency: 10, rate: 200, nemesisInterval: 1.5 },
  // The leader crashes right after acknowledging writes (failpoint reply-sent) and the next one is
  // held in phase 2 once elected (leader-elected delay): it serves reads while not caught up.
  // Aimed at those two points only, so failpoints added later do not thin out these turns.
  'read-before-noop': { nemesis: ['failpoint'], failpoints: ['reply-sent', 'leader-elected'], concurrency: 30, rate: 1000, nemesisInterval: 1.5 },
  // Two leaders at once through a bridge: the old one kept up on one side of a cut, a rival
  // elected on the other, and the bridge between them crashing right after its promise to the
  // rival and restarted at once (failpoint.ts, promiseBridge), while the old leader still leads.
  'promise-not-persisted': { nemesis: ['failpoint'], failpoints: ['promise-sent'], concurrency: 10, rate: 200, nemesisInterval: 1.5 },
  // Writes acknowledged while fsync failed, then the pages they relied on dropped at the heal.
  'ignore-fsync-error': { nemesis: ['fsync'], concurrency: 30, rate: 1000 },
  // An unreachable voter replaced while the leader and the newcomer are cut off from the others
  // (membership's replace-unreachable turn): the bug's leader counts the new configuration at once.
  'config-before-chosen': { nemesis: ['membership'], nemesisInterval: 1.5 },
  // Safety holds, so only the liveness check sees it: a cut-off leader leaves two followers with
  // client requests and no leader; both stand and outbid each other, and at the heal the old
  // leader, outbid too, joins them (a killed one restarts as a follower, which ends a duel more
  // often: kills caught it in 1 of 3 seeds, partitions at the default interval in 5 of 10).
  'dueling-proposers': { nemesis: ['partition'], maxRecovery: 5, nemesisInterval: 1.5 },
  // Leases switched on and timed by the wall clock: the clock nemesis's split turn cuts the leader
  // off and steps clocks, so the old leader's lease outlives the promises behind it. Its clients
  // must keep reading meanwhile: with the default 1 s op timeout each is soon stuck on a write
  // the cut-off leader cannot commit.
  'lease-wall-clock': { nemesis: ['clock'], concurrency: 30, rate: 1000, nemesisInterval: 1.5, opTimeoutMs: 200 },
};

const BUG_SUMMARIES: Record<BugName, string> = {
  'local-read': 'the leader answers reads from its own state without a quorum round (caught by partitions)',
  'leader-skips-recovery': 'a new leader ignores values accepted under earlier ballots (caught by kills of the leader)',
  'promise-not-persisted': 'promises are not made durable; a restarted acceptor forgets them (caught by --nemesis failpoint --failpoints promise-sent: the acceptor between two leaders crashes right after promising, and restarts)',
  'ack-before-fsync': 'promises and accepts are acknowledged before fsync (caught by power-loss)',
  'no-dedup': 'no dedup table: a resent increment applies twice (caught by kills and partitions)',
  'read-before-noop': 'a new leader serves reads before its no-op is chosen, as etcd #7331 (caught by --nemesis failpoint: a crash right after acknowledging writes, then a held new leader)',
  'ignore-fsync-error': 'a failed fsync is logged and ignored, the records counted durable (caught by --nemesis fsync; needs fiu-utils)',
  'dueling-proposers': 'a preempted proposer outbids at once, and every election timeout is the same: two proposers duel and nothing is chosen (safe; caught by --max-recovery after partitions)',
  'lease-wall-clock': 'leader leases (switched on) timed by the wall clock instead of the monotonic one: a stepped clock stretches a lease past the promises behind it (caught by --nemesis clock; needs libfaketime)',
  'config-before-chosen': 'the leader puts a new configuration in force as soon as it proposes it, and starts the next change at once (caught by --nemesis membership)',
};

function nodeArgs(options: readonly string[]): string[] {
  return options.includes('leases') ? ['--lease-ms', String(DEFAULT_LEASE_MS)] : [];
}

export const paxosSystem: System = {
  name: 'paxos',
  summary: "tenrec's Multi-Paxos register cluster: real node processes, fsync'd WAL, stable leader",
  workloads: ['counter', 'register', 'cas-register', 'set'],
  bugs: BUG_NAMES.map((name) => ({ name, summary: BUG_SUMMARIES[name], catchWith: CATCH_WITH[name] })),
  hosts: true,
  options: [{ name: 'leases', summary: `leader leases: the leader answers reads alone while a quorum backs it (${DEFAULT_LEASE_MS} ms, on the monotonic clock)` }],
  db: (o) =>
    o.hosts
      ? new PaxosHostsDb({ hosts: o.hosts, dir: o.dir, token: o.token, bugs: o.bug ? [o.bug as BugName] : [], nodeArgs: nodeArgs(o.options), partitions: o.faults.includes('partition') })
      : new PaxosDb({ nodes: o.nodes, dir: o.dir, bugs: o.bug ? [o.bug as BugName] : [], nodeArgs: nodeArgs(o.options), net: o.net, token: o.token, syncFaults: o.faults.includes('fsync'), clockFaults: o.faults.includes('clock'), spares: o.faults.includes('membership') ? 2 : 0 }),
  clients: paxosClients,
  dedup: true,
};
