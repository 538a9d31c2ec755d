// kill: SIGKILL a minority (one node, the leader, or floor((n-1)/2) nodes); stop restarts them on
// their data. Whatever a node acked but had not fsynced is lost only under a durability bug.
import { pickMinorityTarget, type Fault } from './fault.ts';
import { needKill } from '../src/system/capabilities.ts';

export const killFault: Fault = {
  kind: 'kill',
  async start(ctx) {
    const { nodes, target } = await pickMinorityTarget(ctx);
    const db = needKill(ctx.db);
    for (const id of nodes) await db.kill(id);
    return {
      event: { f: 'start-kill', value: { nodes, target } },
      active: {
        kind: 'kill',
        label: `kill ${nodes.join(',')}`,
        async stop() {
          for (const id of nodes) await db.restart(id);
          return { f: 'stop-kill', value: { nodes } };
        },
      },
    };
  },
};
