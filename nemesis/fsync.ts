// fsync: every node's fsyncs fail for the hold, as when the disk (or the array all nodes share)
// goes bad. A correct node stops at its first failed fsync, so the cluster is unavailable until
// the stop brings the nodes back; that is the price of not lying. A node that carries on acknowledges
// writes whose fsync failed, and the stop makes that visible: it puts the nodes' logs back as they
// were when the errors began (pages a failed fsync may have lost) and restarts them. Every node, not a
// minority: a Paxos cluster survives one forgetful acceptor most of the time, so a minority would
// hide a node that ignores the error rather than show it.
import { needSyncFaults } from '../src/system/capabilities.ts';
import type { SyncHeal } from '../src/system/db.ts';
import type { Fault } from './fault.ts';

export const fsyncFault: Fault = {
  kind: 'fsync',
  async start(ctx) {
    const db = needSyncFaults(ctx.db);
    const nodes = db.nodes().map((n) => n.id);
    for (const id of nodes) await db.failSync(id);
    return {
      event: { f: 'start-fsync', value: { nodes } },
      active: {
        kind: 'fsync',
        label: `fsync errors on ${nodes.join(',')}`,
        async stop() {
          const healed: Record<string, SyncHeal> = {};
          for (const id of nodes) healed[id] = await db.healSync(id);
          return { f: 'stop-fsync', value: { nodes, healed } };
        },
      },
    };
  },
};
