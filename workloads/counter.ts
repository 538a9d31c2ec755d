// counter: increments and reads over K keys. A lost or doubled increment, or a read that goes
// backwards, shows up as a read the counter model cannot explain.
import { mix, repeat, type Generator } from './generator.ts';

export function counterOps(keys: readonly string[]): Generator {
  return mix([
    { weight: 1, gen: repeat((rng) => ({ f: 'inc', key: rng.pick(keys), value: 1 })) },
    { weight: 1, gen: repeat((rng) => ({ f: 'read', key: rng.pick(keys), value: null })) },
  ]);
}
