// The fake network between replicas: random delay (so messages reorder), drops, duplicates, and
// partitions as a set of cut directed links, checked when a message is sent and when it lands.
import type { NodeId, PeerMessage } from '../types.ts';
import type { Random } from './random.ts';
import type { Scheduler } from './scheduler.ts';

export interface NetworkProfile {
  drop: number;
  duplicate: number;
  /** Chance a message takes the slow path (a long delay that reorders it behind later ones). */
  slow: number;
  minDelay: number;
  maxDelay: number;
  slowMaxDelay: number;
}

export class Network {
  private cut = new Set<string>();
  sent = 0;
  dropped = 0;

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Random,
    public profile: NetworkProfile,
    private readonly deliver: (from: NodeId, to: NodeId, m: PeerMessage) => void,
  ) {}

  send(from: NodeId, to: NodeId, m: PeerMessage): void {
    this.sent++;
    if (this.isCut(from, to) || this.rng.chance(this.profile.drop)) {
      this.dropped++;
      return;
    }
    const copies = this.rng.chance(this.profile.duplicate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      this.sched.after(this.delay(), () => {
        if (this.isCut(from, to)) this.dropped++;
        else this.deliver(from, to, m);
      });
    }
  }

  delay(): number {
    const p = this.profile;
    if (this.rng.chance(p.slow)) return this.rng.range(p.maxDelay, p.slowMaxDelay);
    return this.rng.range(p.minDelay, p.maxDelay);
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cut.has(`${from}>${to}`);
  }

  /** Cut every link between the two groups, both ways. */
  partition(a: NodeId[], b: NodeId[]): void {
    for (const x of a) for (const y of b) {
      this.cut.add(`${x}>${y}`);
      this.cut.add(`${y}>${x}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  get partitioned(): boolean {
    return this.cut.size > 0;
  }
}
