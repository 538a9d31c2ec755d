// etcd, a real system tenrec did not write, as a system under test (docs/etcd.md).
import type { System } from '../../system/system.ts';
import { UserError } from '../../errors/user-error.ts';
import { EtcdDb } from './db.ts';
import { EtcdHostsDb } from './hosts-db.ts';
import { etcdClients } from './client.ts';

export const etcdSystem: System = {
  name: 'etcd',
  summary: "Debian's etcd-server (3.4): members on 127.0.0.1, peer traffic through one proxy per member",
  workloads: ['counter', 'register', 'cas-register'],
  bugs: [{ name: 'serializable-reads', summary: "etcd's own serializable read option: a member answers from its own state, stale by design (caught by partitions)" }],
  hosts: true,
  db(o) {
    if (o.hosts) return new EtcdHostsDb({ hosts: o.hosts, dir: o.dir, token: o.token, partitions: o.faults.includes('partition') });
    if (o.net === 'netns') throw new UserError('--db etcd makes partitions with its per-member proxies; --net netns is not supported for it yet');
    return new EtcdDb({ nodes: o.nodes, dir: o.dir, token: o.token });
  },
  // The one bug is a client option (etcd's own), so it is the client factory that switches it.
  clients: (run) => etcdClients({ serializableReads: run.bug === 'serializable-reads' }),
};
