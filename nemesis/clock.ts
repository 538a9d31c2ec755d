// clock: wall-clock faults, as Jepsen's clock nemesis makes them: a `bump` jumps the leader, a node
// or a minority ahead or behind by 1-10 s; a `scramble` gives every node its own offset within
// ±10 s; a `strobe` flips one node's clock between real time and an offset every 50-200 ms for
// the hold. Only wall clocks move (monotonic clocks stay real, as when NTP steps a clock), so a
// system that times its leases and timeouts on the monotonic clock must not notice; one that uses
// the wall clock for them (bug lease-wall-clock) will. The stop puts every clock back.
import { needClockFaults } from '../src/system/capabilities.ts';
import { pickMinorityTarget, type Fault } from './fault.ts';

export const clockFault: Fault = {
  kind: 'clock',
  async start(ctx) {
    const db = needClockFaults(ctx.db);
    const ids = db.nodes().map((n) => n.id);
    const seconds = () => (1 + ctx.rng.int(9000) / 1000) * (ctx.rng.next() < 0.5 ? -1 : 1);
    const mode = ctx.rng.pick(['bump', 'bump', 'scramble', 'strobe'] as const);
    const offsets: Record<string, number> = {};
    let strobe: NodeJS.Timeout | undefined;
    const periodMs = 50 + ctx.rng.int(150);
    let touched: string[];
    let target: string | undefined;
    if (mode === 'scramble') {
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
    return {
      event: { f: 'start-clock', value: { nodes: touched, mode, offsets, ...(target ? { target } : {}), ...(strobe ? { periodMs } : {}) } },
      active: {
        kind: 'clock',
        label: `clock ${mode} ${touched.map((id) => `${id} ${offsets[id]! >= 0 ? '+' : ''}${(offsets[id]! / 1000).toFixed(1)} s`).join(', ')}`,
        async stop() {
          if (strobe) clearInterval(strobe);
          for (const id of touched) await db.setClockOffset(id, 0).catch(() => {});
          return { f: 'stop-clock', value: { nodes: touched } };
        },
      },
    };
  },
};
