// failpoint: arm one of the system's named failpoints on a follower, then kill the leader, so an
// election happens and the armed moment comes (a promise just sent, a leadership just won): a
// crash or a pause lands where consensus bugs live instead of wherever a timer fell. A point
// named `reply-sent` is armed on the leader instead (it crashes right after acknowledging
// writes, before its followers learn they were chosen), together with a delay of every
// follower's phase 2 once it is elected: the next leader serves while it has not caught up.
// A `promise-sent` crash, when the network can be cut, is aimed around a leader that stays up
// instead (promiseBridge below). Stop disarms it and restarts whatever went down. Whether the
// point fired is in the node's log.
import { hasNet, leaderOf, needFailpoints } from '../src/system/capabilities.ts';
import type { DB, FailpointAction, Failpoints, Kill, Net } from '../src/system/db.ts';
import type { Rng } from '../workloads/rng.ts';
import { shuffle, type ActiveFault, type Fault, type FaultEvent } from './fault.ts';
import { bridgeOf } from './partition.ts';

/**
 * Mostly crashes (what loses state); sometimes a pause long enough to lose leadership; and, at the
 * moment a leader is elected, often a delay of its phase 2: elected, serving, not yet caught up
 * (what read-before-noop gets wrong), or a crash within 300 ms of the election.
 */
function pickAction(point: string, rng: Rng): FailpointAction {
  const r = rng.next();
  if (point === 'leader-elected' && r < 0.5) return { action: 'delay', ms: 500 + rng.int(1000) };
  // The newly elected leader killed within 300 ms of its election: mid-recovery, or just after.
  if (point === 'leader-elected' && r < 0.8) return { action: 'crash', ms: rng.int(300) };
  // A delay holds phase-2 messages, which mean nothing mid-compaction: crash, fail the rename
  // (the node must stop as on any failed log write) or pause there.
  if (point === 'snapshot-written' && r < 0.5) return { action: 'crash' };
  if (point === 'snapshot-written' && r < 0.8) return { action: 'error' };
  if (r < 0.8) return { action: 'crash' };
  return { action: 'pause', ms: 500 + rng.int(1500) };
}

/**
 * Half the turns, when the system has it and a leader is known, the `reply-sent` pair: the moment
 * with the most at stake (writes acknowledged, known chosen to nobody alive, and a successor
 * serving before it caught up); otherwise any point. Measured for read-before-noop: with every
 * point equally likely a 20 s run had 1-4 such turns and missed the bug in 2 of 10 seeds.
 */
function pickPoint(points: readonly string[], leaderKnown: boolean, rng: Rng): string {
  const rich = leaderKnown && points.includes('reply-sent') && points.includes('leader-elected');
  if (rich && rng.next() < 0.5) return 'reply-sent';
  return rng.pick([...points]);
}

export const failpointFault: Fault = {
  kind: 'failpoint',
  async start(ctx) {
    const db = needFailpoints(ctx.db);
    const ids = db.nodes().map((n) => n.id);
    const leader = await leaderOf(db);
    const followers = ids.filter((id) => id !== leader);
    const aimed = ctx.failpoints?.length ? db.failpoints().filter((p) => ctx.failpoints!.includes(p)) : [];
    const point = pickPoint(aimed.length ? aimed : db.failpoints(), leader !== null, ctx.rng);
    if (point === 'reply-sent' && leader && db.failpoints().includes('leader-elected')) {
      // Longer than a client's timeout: clients stuck on the dead leader come back and read meanwhile.
      const delay: FailpointAction = { action: 'delay', ms: 3000 + ctx.rng.int(2000) };
      for (const id of followers) await db.armFailpoint(id, 'leader-elected', delay);
      await db.armFailpoint(leader, 'reply-sent', { action: 'crash' });
      const all = [leader, ...followers];
      return {
        event: { f: 'start-failpoint', value: { nodes: all, armed: all, point, action: 'crash', then: { point: 'leader-elected', ...delay }, killedLeader: null } },
        active: {
          kind: 'failpoint',
          label: `failpoint reply-sent crash on ${leader}, leader-elected delay ${delay.ms} ms on ${followers.join(',')}`,
          async stop() {
            for (const id of all) await db.disarmFailpoints(id).catch(() => {});
            for (const id of all) await db.restart(id);
            return { f: 'stop-failpoint', value: { nodes: all, point } };
          },
        },
      };
    }
    if (point === 'promise-sent' && leader && followers.length >= 2 && hasNet(db)) return promiseBridge(db, leader, followers, ctx.rng);
    const act = pickAction(point, ctx.rng);
    // A compaction, or learning entries chosen, happens on every node in its own time: arm one,
    // leader or not, and kill nobody.
    if (point === 'snapshot-written' || point === 'before-apply') return armAndKill(db, [ctx.rng.pick(ids)], point, act, []);
    // A held-back new leader matters only if it is the one elected, so a delay is armed on every
    // follower (one of them wins); a crash or pause on one, so the others can still elect.
    const armed = act.action === 'delay' ? (followers.length ? followers : ids) : [ctx.rng.pick(followers.length ? followers : ids)];
    // The election that brings the moment: the leader goes.
    return armAndKill(db, armed, point, act, leader && !armed.includes(leader) ? [leader] : []);
  },
};

/** Arms `point` on `armed`, kills `killed`; the stop disarms and restarts them all. */
async function armAndKill(db: DB & Failpoints & Kill, armed: string[], point: string, act: FailpointAction, killed: string[]): Promise<{ event: FaultEvent; active: ActiveFault }> {
  for (const id of armed) await db.armFailpoint(id, point, act);
  for (const id of killed) await db.kill(id);
  return {
    event: { f: 'start-failpoint', value: { nodes: [...armed, ...killed], armed, point, ...act, killedLeader: killed[0] ?? null } },
    active: {
      kind: 'failpoint',
      label: `failpoint ${point} ${act.action} on ${armed.join(',')}${killed.length ? `, kill ${killed[0]}` : ''}`,
      async stop() {
        for (const id of armed) await db.disarmFailpoints(id).catch(() => {});
        for (const id of [...armed, ...killed]) await db.restart(id);
        return { f: 'stop-failpoint', value: { nodes: [...armed, ...killed], point } };
      },
    },
  };
}

/**
 * A forgotten promise matters only while a proposer of a lower ballot is still at work, so the
 * leader stays up here: one follower (the bridge) hears both sides of a cut that keeps the
 * leader's side and the other side apart. The other side, hearing no leader, elects a rival; the
 * bridge promises it the new ballot, crashes the moment the promise is out, and is restarted at
 * once (as a supervisor such as systemd's Restart=always would), soon enough for the old leader
 * to still be leading. Both leaders then send the bridge phase 2: an acceptor that forgot its
 * promise takes the old leader's lower ballot too, and two values are chosen for one slot; a
 * correct one refuses it.
 */
async function promiseBridge(db: DB & Failpoints & Kill & Net, leader: string, followers: readonly string[], rng: Rng): Promise<{ event: FaultEvent; active: ActiveFault }> {
  const [bridge, ...rest] = shuffle(followers, rng) as [string, ...string[]];
  // Each side with the bridge is a majority (for an odd cluster), so each can lead through it.
  const others = [leader, ...rest];
  const half = Math.floor(others.length / 2);
  const left = others.slice(0, Math.max(1, half));
  const right = others.slice(left.length);
  const grudge = bridgeOf(left, bridge, right);
  await db.armFailpoint(bridge, 'promise-sent', { action: 'crash' });
  await db.net.blackhole((from, to) => grudge[to]?.includes(from) ?? false);
  let supervising = true;
  const supervisor = (async () => {
    // restart() is a no-op while the node runs: this brings it back within a poll of its crash.
    while (supervising) {
      await db.restart(bridge).catch(() => {});
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    event: { f: 'start-failpoint', value: { nodes: [bridge], armed: [bridge], point: 'promise-sent', action: 'crash', restart: 'at once', shape: 'bridge', grudge, killedLeader: null } },
    active: {
      kind: 'failpoint',
      label: `failpoint promise-sent crash on ${bridge} (restarted at once), bridging ${left.join(',')} | ${right.join(',')}`,
      async stop() {
        supervising = false;
        await supervisor;
        await db.disarmFailpoints(bridge).catch(() => {});
        await db.net.heal();
        await db.restart(bridge);
        return { f: 'stop-failpoint', value: { nodes: [bridge], point: 'promise-sent' } };
      },
    },
  };
}
