// corrupt: Jepsen's file-corruption nemesis. One node (the leader half the time) is killed, its
// durable files damaged, and it is started on them: a `bitflip` flips 1-8 random bits anywhere in
// the file, a `truncate` cuts 1-4096 bytes off its end (sometimes a whole 64 KiB more, so that a
// file that grows in steps is cut at a step). A correct node refuses what it cannot trust, and the
// run stays valid; one that starts anyway on damaged acknowledged state may lose writes. The stop
// restores a node that refused (its files as they were before the damage) and starts it.
import { needDiskFaults } from '../src/system/capabilities.ts';
import type { DiskDamage } from '../src/system/db.ts';
import { pickMinorityTarget, type Fault } from './fault.ts';

export const corruptFault: Fault = {
  kind: 'corrupt',
  async start(ctx) {
    const db = needDiskFaults(ctx.db);
    const { nodes, target } = await pickMinorityTarget(ctx);
    const node = nodes[0]!;
    const damage: DiskDamage =
      ctx.rng.next() < 0.5
        ? { mode: 'bitflip', at: Array.from({ length: 1 + ctx.rng.int(8) }, () => ctx.rng.next()) }
        : { mode: 'truncate', bytes: 1 + ctx.rng.int(4096) + (ctx.rng.next() < 0.25 ? 64 * 1024 : 0) };
    const c = await db.corruptDisk(node, damage);
    return {
      event: { f: 'start-corrupt', value: { node, target, mode: damage.mode, file: c.file, size: c.size, detail: c.detail, refused: c.refused } },
      active: {
        kind: 'corrupt',
        label: `corrupt ${node} ${damage.mode} (${c.refused === null ? 'it started on it' : 'refused'})`,
        async stop() {
          const { restored } = await db.restoreDisk(node);
          return { f: 'stop-corrupt', value: { node, restored } };
        },
      },
    };
  },
};
