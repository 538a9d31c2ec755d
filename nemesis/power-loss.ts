// power-loss: a majority (or every node) loses power at once: SIGKILL them together, then restart.
// A node that acknowledged before fsync (bug ack-before-fsync) loses what sat in its buffer, so
// acknowledged writes vanish; a correct node has nothing unsynced to lose.
import { shuffle, type Fault } from './fault.ts';
import { needKill } from '../src/system/capabilities.ts';

export const powerLossFault: Fault = {
  kind: 'power-loss',
  async start(ctx) {
    const ids = ctx.db.nodes().map((n) => n.id);
    const all = ctx.rng.next() < 0.5;
    const nodes = all ? ids : shuffle(ids, ctx.rng).slice(0, Math.floor(ids.length / 2) + 1);
    const db = needKill(ctx.db);
    await Promise.all(nodes.map((id) => db.kill(id)));
    return {
      event: { f: 'start-power-loss', value: { nodes, all } },
      active: {
        kind: 'power-loss',
        label: `power-loss ${nodes.join(',')}`,
        async stop() {
          for (const id of nodes) await db.restart(id);
          return { f: 'stop-power-loss', value: { nodes } };
        },
      },
    };
  },
};
