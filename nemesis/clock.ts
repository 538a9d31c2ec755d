// clock: wall-clock faults, as Jepsen's clock nemesis makes them: a `bump` jumps the leader, a node
// or a minority ahead or behind by 1-10 s; a `scramble` gives every node its own offset within
// ±10 s; a `strobe` flips one node's clock between real time and an offset every 50-200 ms for
// the hold; with a network to cut and a leader known, a `split` cuts the leader off from the
// others and then steps its clock 1-10 s behind theirs, and theirs as far ahead: the moment a
// clock matters, when one leader's term ends and the next one's begins (a lease must not outlive
// the promises behind it). Only wall clocks move (monotonic clocks stay real, as when NTP steps a
// clock), so a system that times its leases and timeouts on the monotonic clock must not notice;
// one that uses the wall clock for them (bug lease-wall-clock) will. The stop heals what a split
// cut and puts every clock back.
import { hasNet, leaderOf, needClockFaults } from '../src/system/capabilities.ts';
import { isolateGrudge } from './partition.ts';
import { pickMinorityTarget, type Fault, type FaultEvent } from './fault.ts';

export const clockFault: Fault = {
  kind: 'clock',
  async start(ctx) {
    const db = needClockFaults(ctx.db);
    const ids = db.nodes().map((n) => n.id);
    const seconds = () => (1 + ctx.rng.int(9000) / 1000) * (ctx.rng.next() < 0.5 ? -1 : 1);
    const leader = hasNet(db) ? await leaderOf(db) : null;
    const splittable = leader !== null && ids.includes(leader) && ids.length >= 3;
    // Half the turns when it can be drawn: the turn where a clock decides who may lead.
    const mode = ctx.rng.pick(splittable ? (['bump', 'scramble', 'strobe', 'split', 'split', 'split'] as const) : (['bump', 'bump', 'scramble', 'strobe'] as const));
    const offsets: Record<string, number> = {};
    let strobe: NodeJS.Timeout | undefined;
    const periodMs = 50 + ctx.rng.int(150);
    let touched: string[];
    let target: string | undefined;
    const events: FaultEvent[] = [];
    if (mode === 'split') {
      const net = db.net!;
      const grudge = isolateGrudge(ids, leader!);
      // Cut first: the others must not hear the leader again after their clocks moved.
      await net.blackhole((from, to) => grudge[to]?.includes(from) ?? false);
      events.push({ f: 'start-partition', value: { shape: 'isolated-leader', grudge } });
      const ms = Math.round(Math.abs(seconds()) * 1000);
      touched = ids;
      target = 'leader';
      for (const id of ids) offsets[id] = id === leader ? -ms : ms;
    } else if (mode === 'scramble') {
      touched = ids;
      for (const id of ids) offsets[id] = Math.round(seconds() * 1000);
    } else {
      const picked = await pickMinorityTarget(ctx);
      touched = mode === 'strobe' ? picked.nodes.slice(0, 1) : picked.nodes;
      target = picked.target;
      const ms = Math.round(seconds() * 1000);
      for (const id of touched) offsets[id] = ms;
    }
    for (const id of touched) await db.setClockOffset(id, offsets[id]!);
    if (mode === 'strobe') {
      const id = touched[0]!;
      let on = true;
      strobe = setInterval(() => {
        on = !on;
        void db.setClockOffset(id, on ? offsets[id]! : 0).catch(() => {});
      }, periodMs);
    }
    events.push({ f: 'start-clock', value: { nodes: touched, mode, offsets, ...(target ? { target } : {}), ...(strobe ? { periodMs } : {}) } });
    return {
      event: events,
      active: {
        kind: 'clock',
        label: `clock ${mode} ${touched.map((id) => `${id} ${offsets[id]! >= 0 ? '+' : ''}${(offsets[id]! / 1000).toFixed(1)} s`).join(', ')}${mode === 'split' ? ` (${leader} cut off)` : ''}`,
        async stop() {
          if (strobe) clearInterval(strobe);
          const stops: FaultEvent[] = [];
          if (mode === 'split') {
            await db.net!.heal();
            stops.push({ f: 'stop-partition', value: { shape: 'isolated-leader' } });
          }
          for (const id of touched) await db.setClockOffset(id, 0).catch(() => {});
          stops.push({ f: 'stop-clock', value: { nodes: touched } });
          return stops;
        },
      },
    };
  },
};
