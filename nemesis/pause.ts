// pause: SIGSTOP a minority, later SIGCONT. A paused leader keeps its sockets open and answers
// nothing, the nastiest way to look dead: clients time out (info) and a new leader is elected
// while the old one still believes it leads.
import { pickMinorityTarget, type Fault } from './fault.ts';
import { needPause } from '../src/system/capabilities.ts';

export const pauseFault: Fault = {
  kind: 'pause',
  async start(ctx) {
    const { nodes, target } = await pickMinorityTarget(ctx);
    const db = needPause(ctx.db);
    for (const id of nodes) await db.pause(id);
    return {
      event: { f: 'start-pause', value: { nodes, target } },
      active: {
        kind: 'pause',
        label: `pause ${nodes.join(',')}`,
        async stop() {
          for (const id of nodes) await db.resume(id);
          return { f: 'stop-pause', value: { nodes } };
        },
      },
    };
  },
};
