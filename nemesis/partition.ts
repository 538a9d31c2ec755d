// partition: cut the network into a shape (Jepsen's partitioners), through the runner's proxy.
// A shape is a grudge: for each node, the nodes whose messages it no longer receives.
import type { Rng } from '../workloads/rng.ts';
import { shuffle, type Fault } from './fault.ts';
import { leaderOf, needNet } from '../src/system/capabilities.ts';

export type PartitionShape = 'isolate-one' | 'isolate-leader' | 'halves' | 'majorities-ring' | 'bridge';
export const PARTITION_SHAPES: readonly PartitionShape[] = ['isolate-one', 'isolate-leader', 'halves', 'majorities-ring', 'bridge'];
/** Shapes drawn with isolate-leader twice as likely: a cut-off leader is the classic stale-read setup. */
const SHAPE_DRAW: readonly PartitionShape[] = [...PARTITION_SHAPES, 'isolate-leader'];

/** node → the nodes it cannot hear from. */
export type Grudge = Record<string, string[]>;

/** Every node hears only from its own component. */
export function componentsGrudge(components: readonly (readonly string[])[]): Grudge {
  const g: Grudge = {};
  for (const comp of components)
    for (const n of comp) g[n] = components.filter((c) => c !== comp).flat().filter((m) => !comp.includes(m));
  return g;
}

/** Cuts `isolated` off from everyone else, both ways. */
export function isolateGrudge(ids: readonly string[], isolated: string): Grudge {
  return componentsGrudge([[isolated], ids.filter((i) => i !== isolated)]);
}

/** Two halves: the first floor(n/2) shuffled nodes, and the rest. */
export function halvesGrudge(ids: readonly string[], rng: Rng): Grudge {
  const s = shuffle(ids, rng);
  const k = Math.floor(s.length / 2);
  return componentsGrudge([s.slice(0, k), s.slice(k)]);
}

/**
 * Every node hears from a majority (itself and the next ones around a shuffled ring), but no two
 * nodes hear from the same majority. With directed links this works for 3 nodes too: n0 hears n1,
 * n1 hears n2, n2 hears n0.
 */
export function majoritiesRingGrudge(ids: readonly string[], rng: Rng): Grudge {
  const ring = shuffle(ids, rng);
  const n = ring.length;
  const majority = Math.floor(n / 2) + 1;
  const g: Grudge = {};
  ring.forEach((node, i) => {
    const hears = new Set<string>();
    // A window of `majority` ring positions containing the node, as centred as possible.
    const start = i - Math.floor((majority - 1) / 2);
    for (let k = 0; k < majority; k++) hears.add(ring[(((start + k) % n) + n) % n]!);
    g[node] = ring.filter((m) => !hears.has(m));
  });
  return g;
}

/** Two halves joined by one bridge node that both sides can reach. */
export function bridgeGrudge(ids: readonly string[], rng: Rng): Grudge {
  const s = shuffle(ids, rng);
  const mid = Math.floor(s.length / 2);
  return bridgeOf(s.slice(0, mid), s[mid]!, s.slice(mid + 1));
}

/** `left` and `right` cannot hear each other; `bridge` hears, and is heard by, both. */
export function bridgeOf(left: readonly string[], bridge: string, right: readonly string[]): Grudge {
  const g: Grudge = { [bridge]: [] };
  for (const n of left) g[n] = [...right];
  for (const n of right) g[n] = [...left];
  return g;
}

export const partitionFault: Fault = {
  kind: 'partition',
  async start(ctx) {
    const net = needNet(ctx.db).net;
    const ids = ctx.db.nodes().map((n) => n.id);
    let shape = ctx.rng.pick(SHAPE_DRAW);
    let grudge: Grudge;
    if (shape === 'isolate-leader') {
      const leader = await leaderOf(ctx.db);
      if (leader && ids.includes(leader)) grudge = isolateGrudge(ids, leader);
      else {
        shape = 'isolate-one';
        grudge = isolateGrudge(ids, ctx.rng.pick(ids));
      }
    } else if (shape === 'isolate-one') grudge = isolateGrudge(ids, ctx.rng.pick(ids));
    else if (shape === 'halves') grudge = halvesGrudge(ids, ctx.rng);
    else if (shape === 'majorities-ring') grudge = majoritiesRingGrudge(ids, ctx.rng);
    else grudge = bridgeGrudge(ids, ctx.rng);
    await net.blackhole((from, to) => grudge[to]?.includes(from) ?? false);
    return {
      event: { f: 'start-partition', value: { shape, grudge } },
      active: {
        kind: 'partition',
        label: `partition ${shape}`,
        async stop() {
          await net.heal();
          return { f: 'stop-partition', value: { shape } };
        },
      },
    };
  },
};
