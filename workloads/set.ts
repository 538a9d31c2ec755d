// set: adds of distinct small integers to a few sets, and reads of whole sets (Jepsen's set
// workload). Each set holds at most `capacity` elements (53 over tenrec's integer registers);
// when one is full its key moves to a fresh generation (`k0`, `k0.1`, …) so adds go on.
import type { GenContext, GenStep, Generator } from './generator.ts';

export function setOps(keys: readonly string[], capacity = 53): Generator {
  const at = (used: readonly number[], gens: readonly number[]): Generator => ({
    step(ctx: GenContext): GenStep {
      const i = ctx.rng.int(keys.length);
      const key = gens[i]! === 0 ? keys[i]! : `${keys[i]!}.${gens[i]!}`;
      if (ctx.rng.next() < 0.4) return { kind: 'op', op: { f: 'read', key, value: null, time: ctx.time }, next: at(used, gens) };
      const e = used[i]!;
      const full = e + 1 >= capacity;
      const nextUsed = used.map((u, j) => (j === i ? (full ? 0 : u + 1) : u));
      const nextGens = full ? gens.map((g, j) => (j === i ? g + 1 : g)) : gens;
      return { kind: 'op', op: { f: 'add', key, value: e, time: ctx.time }, next: at(nextUsed, nextGens) };
    },
  });
  return at(keys.map(() => 0), keys.map(() => 0));
}
