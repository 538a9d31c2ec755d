// cas-register: reads, writes and compare-and-sets over K keys (Knossos' classic workload).
import { mix, repeat, type Generator } from './generator.ts';
import { REGISTER_VALUES } from './register.ts';

export function casRegisterOps(keys: readonly string[]): Generator {
  return mix([
    { weight: 2, gen: repeat((rng) => ({ f: 'read', key: rng.pick(keys), value: null })) },
    { weight: 1, gen: repeat((rng) => ({ f: 'write', key: rng.pick(keys), value: rng.int(REGISTER_VALUES) })) },
    {
      weight: 2,
      gen: repeat((rng) => ({ f: 'cas', key: rng.pick(keys), value: [rng.int(REGISTER_VALUES), rng.int(REGISTER_VALUES)] })),
    },
  ]);
}
