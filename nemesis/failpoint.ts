// failpoint: arm one of the system's named failpoints on a follower, then kill the leader, so an
// election happens and the armed moment comes (a promise just sent, a leadership just won): a
// crash or a pause lands where consensus bugs live instead of wherever a timer fell. Stop
// disarms it and restarts whatever went down. Whether the point fired is in the node's log.
import { leaderOf, needFailpoints } from '../src/system/capabilities.ts';
import type { Fault } from './fault.ts';

export const failpointFault: Fault = {
  kind: 'failpoint',
  async start(ctx) {
    const db = needFailpoints(ctx.db);
    const ids = db.nodes().map((n) => n.id);
    const leader = await leaderOf(db);
    const followers = ids.filter((id) => id !== leader);
    const node = ctx.rng.pick(followers.length ? followers : ids);
    const point = ctx.rng.pick([...db.failpoints()]);
    // Mostly crashes (what loses state); sometimes a pause long enough to lose leadership.
    const act = ctx.rng.next() < 0.75 ? ({ action: 'crash' } as const) : ({ action: 'pause', ms: 500 + ctx.rng.int(1500) } as const);
    await db.armFailpoint(node, point, act);
    // The election that brings the moment: the leader goes.
    const killed = leader && leader !== node ? [leader] : [];
    for (const id of killed) await db.kill(id);
    return {
      event: { f: 'start-failpoint', value: { nodes: [node, ...killed], armed: node, point, ...act, killedLeader: killed[0] ?? null } },
      active: {
        kind: 'failpoint',
        label: `failpoint ${point} ${act.action} on ${node}${killed.length ? `, kill ${killed[0]}` : ''}`,
        async stop() {
          await db.disarmFailpoints(node).catch(() => {});
          for (const id of [node, ...killed]) await db.restart(id);
          return { f: 'stop-failpoint', value: { nodes: [node, ...killed], point } };
        },
      },
    };
  },
};
