// register: reads and blind writes of small integers over K keys. Few distinct values make
// stale reads more likely to contradict some write order.
import { mix, repeat, type Generator } from './generator.ts';

export const REGISTER_VALUES = 5;

export function registerOps(keys: readonly string[]): Generator {
  return mix([
    { weight: 1, gen: repeat((rng) => ({ f: 'read', key: rng.pick(keys), value: null })) },
    { weight: 1, gen: repeat((rng) => ({ f: 'write', key: rng.pick(keys), value: rng.int(REGISTER_VALUES) })) },
  ]);
}
