// The simulator's nemesis: a seeded schedule of crashes (often the leader, sometimes a majority at
// once: power loss), partitions (isolating the leader, random splits) and bursts of message loss
// and duplication. Every fault is recorded in the history in the real nemesis's words
// (start-kill / stop-kill, start-partition with its shape and grudge, add-member, …), and
// everything is healed at the end.
import type { HistoryEvent } from '../../../../checker/types.ts';
import type { NodeId } from '../types.ts';
import type { NetworkProfile } from './network.ts';
import type { Random } from './random.ts';
import type { Scheduler } from './scheduler.ts';
import type { World } from './world.ts';

export interface FaultOptions {
  /** Gap between faults (ms). */
  interval: [number, number];
  /** How long a crashed node stays down (ms). */
  downtime: [number, number];
  partitionLength: [number, number];
  /** Also change who votes: add spares, remove members (never below three voters), replace one by the other. */
  membership?: boolean;
  /** Also step wall clocks: the clock nemesis's split (the leader cut off, its clock behind the others'). */
  clock?: boolean;
}

/** Chance a fragile node crashes right after handling a message. */
const FRAGILE_CRASH = 0.5;

export class Nemesis {
  faults = 0;
  /** Membership changes the cluster confirmed. */
  memberChanges = 0;
  private readonly calm: NetworkProfile;
  /** The nodes of the clock split in force, if any. */
  private split: NodeId[] | null = null;

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Random,
    private readonly world: World,
    private readonly history: HistoryEvent[],
    private readonly o: FaultOptions,
  ) {
    this.calm = { ...world.net.profile };
  }

  start(until: number): void {
    const loop = (): void => {
      if (this.sched.now >= until) return;
      this.inject();
      this.sched.after(this.rng.range(...this.o.interval), loop);
    };
    this.sched.after(this.rng.range(...this.o.interval), loop);
  }

  private inject(): void {
    this.faults++;
    const w = this.world;
    if (this.o.membership && this.rng.chance(0.4)) return this.changeMembers();
    if (this.o.clock && this.rng.chance(0.35)) return this.clockSplit();
    const leader = w.leaders()[0] ?? this.rng.pick(w.ids);
    const roll = this.rng.next();
    if (roll < 0.15) {
      this.crash([leader]);
    } else if (roll < 0.3) {
      // A disk stalls (the leader's, or any node's, say a candidate's) and the node loses power
      // before the fsync completes: whatever it sent that relied on that write must survive
      // without it.
      const victim = this.rng.chance(0.5) ? leader : this.rng.pick(w.ids);
      w.crashDuringFsync(victim, this.rng.range(3, 30), () => this.crash([victim]));
    } else if (roll < 0.45) {
      this.crash([this.rng.pick(w.ids)]);
    } else if (roll < 0.6) {
      // Power loss on a majority (or everyone) at once.
      const n = this.rng.chance(0.5) ? w.ids.length : Math.floor(w.ids.length / 2) + 1;
      const victims = [leader, ...this.shuffle(w.ids.filter((x) => x !== leader))].slice(0, n);
      this.crash(victims);
    } else if (roll < 0.65) {
      this.partition('isolate-leader', [leader], w.ids.filter((x) => x !== leader));
    } else if (roll < 0.82) {
      // A bridge: the leader loses some peers (one of three, two of five) while the rest still
      // reach both sides, so the cut-off peers can elect a new leader through the bridge nodes.
      const others = w.ids.filter((x) => x !== leader);
      const cut = w.ids.length <= 3 ? [this.rng.pick(others)] : this.shuffle(others).slice(0, Math.floor((w.ids.length - 1) / 2));
      this.partition('bridge', [leader], cut);
      // Often the bridge nodes then turn fragile about when a cut-off peer starts an election:
      // they may crash right after any step, so promises and accepts of two ballots cross restarts.
      const bridge = others.filter((x) => !cut.includes(x));
      if (bridge.length > 0 && this.rng.chance(0.9)) {
        this.fragile(w.ids.length <= 3 ? [this.rng.pick(bridge)] : bridge, this.rng.range(100, 200), 350);
      }
    } else if (roll < 0.9) {
      const ids = this.shuffle(w.ids);
      const cut = 1 + this.rng.int(ids.length - 1);
      this.partition('split', ids.slice(0, cut), ids.slice(cut));
    } else {
      this.chaos();
    }
  }

  /** Grow, shrink or replace, asking the leader as `tenrec cluster add/remove` would. */
  private changeMembers(): void {
    const w = this.world;
    const leader = w.leaders()[0];
    const config = leader ? w.status(leader)?.configuration as { voters: NodeId[]; learners: NodeId[] } | undefined : undefined;
    if (!leader || !config) return;
    const spares = w.ids.filter((id) => !config.voters.includes(id) && !config.learners.includes(id));
    const remove = (keep?: NodeId): void => {
      if (config.voters.length <= 3) return;
      const victim = this.rng.chance(0.5) ? leader : this.rng.pick(config.voters.filter((v) => v !== keep));
      this.note('remove-member', { node: victim });
      w.admin(leader, { op: 'remove-member', node: victim }, (r) => {
        if (!r.ok) return;
        this.memberChanges++;
        // Decommissioned a little later, as an operator (or tenrec cluster remove, which first
        // waits for the node to see its removal) would: meanwhile it runs on, outside the cluster.
        this.sched.after(this.rng.range(50, 500), () => w.retire(victim));
      });
    };
    const roll = this.rng.next();
    if (spares.length === 0 || (roll < 0.3 && config.voters.length > 3)) return remove();
    const joining = this.rng.pick(spares);
    w.enlist(joining);
    // Sometimes the newcomer joins on the leader's side of a split from the other old members,
    // as a replacement in another zone would: then old and new configurations must still agree.
    if (this.rng.chance(0.5)) this.partition('leader-and-newcomer', [leader, joining], w.ids.filter((x) => x !== leader && x !== joining));
    this.note('add-member', { node: joining });
    // A replacement: the old member goes as soon as the new one is in.
    const replace = roll >= 0.5;
    if (replace) config.voters = [...config.voters, joining];
    w.admin(leader, { op: 'add-member', node: joining }, (r) => {
      if (!r.ok) return;
      this.memberChanges++;
      if (replace) remove(joining);
    });
  }

  private crash(victims: NodeId[], downtime: [number, number] = this.o.downtime): void {
    const up = victims.filter((v) => this.world.isUp(v));
    if (up.length === 0) return;
    for (const v of up) this.world.crash(v);
    this.note('start-kill', { nodes: up });
    for (const v of up) {
      this.sched.after(this.rng.range(...downtime), () => {
        if (this.world.isUp(v)) return;
        this.world.restart(v);
        this.note('stop-kill', { nodes: [v] });
      });
    }
  }

  /** For a while, these nodes crash right after handling a message, with some probability. */
  private fragile(victims: NodeId[], start: number, length: number): void {
    this.sched.after(start, () => {
      const until = this.sched.now + length;
      this.world.afterStep = (id, kind) => {
        if (this.sched.now > until) this.world.afterStep = null;
        else if (victims.includes(id) && kind === 'message' && this.rng.chance(FRAGILE_CRASH)) this.crash([id], [1, 12]);
      };
    });
  }

  /**
   * The real clock nemesis's split (nemesis/clock.ts): cut the leader off, then step its wall
   * clock behind and everyone else's as far ahead, so a lease timed on the wall clock outlives
   * the promises behind it. Monotonic clocks (ticks, election timers) stay true.
   */
  private clockSplit(): void {
    const w = this.world;
    const leader = w.leaders()[0];
    if (!leader) return;
    const others = w.ids.filter((x) => x !== leader && !w.retired.has(x));
    const ms = Math.round(this.rng.range(200, 1500));
    this.cut('isolated-leader', [leader], others);
    const offsets: Record<NodeId, number> = {};
    for (const id of [leader, ...others]) {
      offsets[id] = id === leader ? -ms : ms;
      w.setWallOffset(id, offsets[id]!);
    }
    this.split = [leader, ...others];
    this.note('start-clock', { nodes: this.split, mode: 'split', offsets, target: 'leader' });
    this.sched.after(this.rng.range(...this.o.partitionLength), () => this.clocksBack());
  }

  /** Every wall clock true again, and the split's cut healed. */
  private clocksBack(): void {
    const nodes = this.split;
    if (!nodes) return;
    this.split = null;
    for (const id of nodes) this.world.setWallOffset(id, 0);
    this.world.net.heal();
    this.note('stop-clock', { nodes });
    this.note('stop-partition', { shape: 'isolated-leader' });
  }

  /** Cuts `a` from `b` both ways and records it; the caller heals it. */
  private cut(shape: string, a: NodeId[], b: NodeId[]): void {
    this.world.net.partition(a, b);
    const grudge: Record<NodeId, NodeId[]> = {};
    for (const x of a) grudge[x] = [...b];
    for (const y of b) grudge[y] = [...a];
    this.note('start-partition', { shape, grudge });
  }

  /** Cut every link between `a` and `b` (both ways) for a while; nodes in neither keep all their links. */
  private partition(shape: string, a: NodeId[], b: NodeId[]): void {
    this.cut(shape, a, b);
    this.sched.after(this.rng.range(...this.o.partitionLength), () => {
      this.world.net.heal();
      this.note('stop-partition', { shape });
    });
  }

  private chaos(): void {
    this.world.net.profile = { ...this.calm, drop: 0.2, duplicate: 0.2, slow: 0.3 };
    this.note('start-chaos', { drop: 0.2, duplicate: 0.2, slow: 0.3 });
    this.sched.after(this.rng.range(...this.o.partitionLength), () => {
      this.world.net.profile = { ...this.calm };
      this.note('stop-chaos', {});
    });
  }

  /** Heal the network and restart every crashed node. */
  healAll(): void {
    this.clocksBack();
    this.world.net.heal();
    this.world.net.profile = { ...this.calm };
    for (const id of this.world.ids) {
      if (!this.world.isUp(id) && !this.world.retired.has(id)) {
        this.world.restart(id);
        this.note('stop-kill', { nodes: [id] });
      }
    }
    this.note('heal', { nodes: this.world.ids.filter((id) => this.world.isUp(id)) });
  }

  private note(f: string, value: unknown): void {
    this.history.push({ process: 'nemesis', type: 'info', f, value, time: Math.round(this.sched.now * 1e6) });
  }

  private shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}
