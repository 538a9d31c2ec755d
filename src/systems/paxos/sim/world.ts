// The simulated cluster: N replica cores, each with a fake disk and a tick timer, wired to the
// fake network. The driver honours Ready like the node does: records go to the fake disk, an
// fsync follows a little later (group commit: it covers every write made before it), the
// messages that depend on them leave only after it, in order, and the core then hears that its
// Readys are durable. Replies and unsynced messages leave at once. Under ack-before-fsync
// everything leaves at once and the fsync comes later still.
import { createReplica, type Replica } from '../core/index.ts';
import type { BugName, ClientRequest, ClientResult, Input, NodeId, PeerMessage, Ready } from '../types.ts';
import { FakeDisk } from './disk.ts';
import { Network, type NetworkProfile } from './network.ts';
import type { Random } from './random.ts';
import type { Scheduler } from './scheduler.ts';
import type { SafetyMonitor } from './invariants.ts';

export interface SimNode {
  id: NodeId;
  replica: Replica | null;
  disk: FakeDisk;
  /** Bumped on every crash so timers and fsyncs of a previous life do nothing. */
  life: number;
  fsyncScheduled: boolean;
  /** Messages waiting for the next fsync, in Ready order. */
  held: { to: NodeId; message: PeerMessage }[];
  /** The last Ready whose records were written, and the last one reported durable. */
  lastWritten: number;
  lastDurable: number;
  crashes: number;
  /**
   * Like the node's HTTP API, each life numbers its client requests from 1 again, so ids of a
   * previous life recur (a core must not confuse them). Local id → the client's attempt id.
   */
  requestIds: Map<string, string>;
  nextRequestId: number;
}

export interface WorldOptions {
  nodes: number;
  bugs: ReadonlySet<BugName>;
  tickMs: number;
  snapshotEvery: number;
  /** Under ack-before-fsync: how long written records stay volatile. */
  fsyncDelay: [number, number];
  /** How long a correct fsync takes (ms). */
  fsyncLatency: [number, number];
}

export class World {
  readonly nodes = new Map<NodeId, SimNode>();
  readonly ids: NodeId[];
  readonly net: Network;
  /** Where replies for client requests go (set by the clients). */
  onReply: (node: NodeId, id: string, result: ClientResult) => void = () => {};
  /** Nodes whose next fsync stalls this long and never completes: `crash` cuts the power first. */
  private readonly fsyncCrash = new Map<NodeId, { stallMs: number; crash: () => void }>();
  /** A fault hook run after every step a replica takes (it may crash the node). */
  afterStep: ((id: NodeId, input: Input['type']) => void) | null = null;

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Random,
    profile: NetworkProfile,
    private readonly opts: WorldOptions,
    private readonly monitor: SafetyMonitor,
  ) {
    this.ids = Array.from({ length: opts.nodes }, (_, i) => `n${i + 1}`);
    this.net = new Network(sched, rng.fork(), profile, (from, to, m) => this.input(to, { type: 'message', from, message: m }));
    for (const id of this.ids) {
      this.nodes.set(id, {
        id, replica: null, disk: new FakeDisk(), life: 0, fsyncScheduled: false, held: [], lastWritten: 0, lastDurable: 0,
        crashes: 0, requestIds: new Map(), nextRequestId: 1,
      });
      this.start(id);
    }
  }

  private start(id: NodeId): void {
    const n = this.nodes.get(id)!;
    const streams = this.rng.fork();
    n.replica = createReplica(
      {
        id,
        members: this.ids,
        bugs: this.opts.bugs,
        random: () => streams.next(),
        electionTimeoutMs: [150, 300],
        heartbeatMs: 50,
        snapshotEvery: this.opts.snapshotEvery,
      },
      n.disk.read(),
    );
    const life = n.life;
    const offset = this.rng.range(0, this.opts.tickMs);
    const tick = (): void => {
      if (n.life !== life || !n.replica) return;
      this.input(id, { type: 'tick', now: this.sched.now });
      this.sched.after(this.opts.tickMs, tick);
    };
    this.sched.after(offset, tick);
  }

  /** Fault: `id`'s next fsync stalls for `stallMs`, and `crash` (which crashes it) runs instead of it. */
  crashDuringFsync(id: NodeId, stallMs: number, crash: () => void): void {
    this.fsyncCrash.set(id, { stallMs, crash });
  }

  isUp(id: NodeId): boolean {
    return this.nodes.get(id)?.replica != null;
  }

  /** Power loss or SIGKILL: memory and unsynced writes are gone. */
  crash(id: NodeId): void {
    const n = this.nodes.get(id)!;
    if (!n.replica) return;
    n.replica = null;
    n.life++;
    n.requestIds = new Map();
    n.nextRequestId = 1;
    n.crashes++;
    n.fsyncScheduled = false;
    n.held = [];
    n.lastWritten = 0;
    n.lastDurable = 0;
    n.disk.crash();
  }

  restart(id: NodeId): void {
    const n = this.nodes.get(id)!;
    if (n.replica) return;
    this.start(id);
  }

  request(node: NodeId, req: ClientRequest): boolean {
    if (!this.isUp(node)) return false;
    const n = this.nodes.get(node)!;
    const local = String(n.nextRequestId++);
    n.requestIds.set(local, req.id);
    this.input(node, { type: 'request', request: { ...req, id: local } });
    return true;
  }

  status(id: NodeId) {
    return this.nodes.get(id)?.replica?.status() ?? null;
  }

  leaders(): NodeId[] {
    return this.ids.filter((id) => this.status(id)?.role === 'leader');
  }

  private input(id: NodeId, input: Input): void {
    const n = this.nodes.get(id)!;
    const r = n.replica;
    if (!r) return;
    const ready = r.step(input);
    this.monitor.observe(id, r);
    this.handle(n, ready);
    this.afterStep?.(id, input.type);
  }

  private handle(n: SimNode, ready: Ready): void {
    this.sendAll(n, ready.unsynced);
    for (const { id, result } of ready.replies) {
      const attempt = n.requestIds.get(id);
      if (attempt === undefined) {
        this.monitor.strayReply(n.id, id);
        continue;
      }
      n.requestIds.delete(id);
      this.onReply(n.id, attempt, result);
    }
    const wrote = ready.persist.length > 0 || ready.snapshot !== undefined;
    if (wrote) {
      n.disk.write(ready.snapshot, ready.persist);
      n.lastWritten = ready.seq;
    }
    if (this.opts.bugs.has('ack-before-fsync')) {
      // The bug: answer first and believe it durable; make it durable a little later.
      this.sendAll(n, ready.messages);
      if (n.disk.dirty && !n.fsyncScheduled) {
        n.fsyncScheduled = true;
        const life = n.life;
        this.sched.after(this.rng.range(...this.opts.fsyncDelay), () => {
          if (n.life !== life) return;
          n.fsyncScheduled = false;
          n.disk.fsync();
        });
      }
      if (wrote) this.reportDurable(n, ready.seq);
      return;
    }
    if (!n.disk.dirty && n.held.length === 0) {
      this.sendAll(n, ready.messages);
      return;
    }
    n.held.push(...ready.messages);
    if (n.fsyncScheduled) return;
    n.fsyncScheduled = true;
    const life = n.life;
    const torn = this.fsyncCrash.get(n.id);
    this.fsyncCrash.delete(n.id);
    this.sched.after(this.rng.range(...this.opts.fsyncLatency) + (torn?.stallMs ?? 0), () => {
      if (n.life !== life) return;
      if (torn) {
        torn.crash();
        return;
      }
      n.fsyncScheduled = false;
      n.disk.fsync();
      const held = n.held;
      n.held = [];
      this.sendAll(n, held);
      this.reportDurable(n, n.lastWritten);
    });
  }

  private sendAll(n: SimNode, messages: Ready['messages']): void {
    for (const { to, message } of messages) this.net.send(n.id, to, message as PeerMessage);
  }

  /** Tell the core, as a step of its own, that its Readys up to `through` are durable. */
  private reportDurable(n: SimNode, through: number): void {
    const life = n.life;
    this.sched.after(0, () => {
      if (n.life !== life || through <= n.lastDurable) return;
      n.lastDurable = through;
      this.input(n.id, { type: 'durable', through });
    });
  }
}
