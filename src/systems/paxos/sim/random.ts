// The simulator's randomness: the project's one seeded PRNG (workloads/rng.ts, the stream the
// workload generators and the nemesis draw from), with the helpers the simulated world needs.
// One seed replays one run exactly.
import { createRng, type Rng } from '../../../../workloads/rng.ts';

export class Random implements Rng {
  private readonly r: Rng;

  constructor(seed: number) {
    this.r = createRng(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.r.next();
  }

  int(n: number): number {
    return this.r.int(n);
  }

  pick<T>(items: readonly T[]): T {
    return this.r.pick(items);
  }

  get state(): number {
    return this.r.state;
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An independent stream derived from this one (so adding draws in one place does not shift another). */
  fork(): Random {
    return new Random(this.int(2 ** 32));
  }
}
