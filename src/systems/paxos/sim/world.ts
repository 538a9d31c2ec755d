// The simulated cluster: N replica cores, each with a fake disk and a tick timer, wired to the
// fake network. Each replica's Readys go through the node's own Ready pipeline
// (driver/ready-pipeline.ts) over a simulated disk (sim-disk.ts): records to the fake disk, an
// fsync a little later (group commit), the messages that depend on them only after it, in order,
// and then the core hears that its Readys are durable; replies and unsynced messages at once.
// ack-before-fsync is the pipeline's own bug switch, as in the node.
import { createReplica, type Replica } from '../core/index.ts';
import { DEFAULT_ELECTION_TIMEOUT_MS, type BugName, type ClientRequest, type ClientResult, type ElectionPolicy, type Input, type MemberCommand, type NodeId, type PeerMessage, type Ready } from '../types.ts';
import { FakeDisk } from './disk.ts';
import { SimDisk } from './sim-disk.ts';
import { ReadyPipeline, type Outputs } from '../driver/ready-pipeline.ts';
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
  /** This life's storage and pipeline (a crash discards both, and what they held). */
  storage: SimDisk | null;
  pipeline: ReadyPipeline | null;
  /** The last Ready reported durable to this life's core. */
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
  election?: ElectionPolicy;
  /** Nodes beyond `nodes` that may join later (membership faults): not started until added. */
  spares?: number;
  /** Leader leases (ms; 0 or absent: off, unless a bug switches them on), as `--db-option leases`. */
  leaseMs?: number;
}

export class World {
  readonly nodes = new Map<NodeId, SimNode>();
  /** Every node that may ever run: the initial voters, then the spares. */
  readonly ids: NodeId[];
  /** The configuration every replica starts with. */
  readonly initialVoters: NodeId[];
  /** Nodes out of the cluster (spares not added yet, members removed): down, and no restart brings them back. */
  readonly retired = new Set<NodeId>();
  private readonly adminReplies = new Map<string, (result: ClientResult) => void>();
  private adminSeq = 0;
  readonly net: Network;
  /** Where replies for client requests go (set by the clients). */
  onReply: (node: NodeId, id: string, result: ClientResult) => void = () => {};
  /** Simulated ms from each crash of a leader until a new leader stood (failover). */
  readonly failovers: number[] = [];
  private leaderCrashedAt: number | null = null;
  /** Campaigns (phase 1 rounds) of lives that ended. */
  private pastCampaigns = 0;
  /** A fault hook run after every step a replica takes (it may crash the node). */
  afterStep: ((id: NodeId, input: Input['type']) => void) | null = null;
  /** Each node's wall clock minus the simulated time (clock faults); monotonic clocks stay true. */
  private readonly wallOffsets = new Map<NodeId, number>();

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Random,
    profile: NetworkProfile,
    private readonly opts: WorldOptions,
    private readonly monitor: SafetyMonitor,
  ) {
    this.ids = Array.from({ length: opts.nodes + (opts.spares ?? 0) }, (_, i) => `n${i + 1}`);
    this.initialVoters = this.ids.slice(0, opts.nodes);
    this.net = new Network(sched, rng.fork(), profile, (from, to, m) => this.input(to, { type: 'message', from, message: m }));
    for (const id of this.ids) {
      this.nodes.set(id, {
        id, replica: null, disk: new FakeDisk(), life: 0, storage: null, pipeline: null, lastDurable: 0,
        crashes: 0, requestIds: new Map(), nextRequestId: 1,
      });
      if (this.initialVoters.includes(id)) this.start(id);
      else this.retired.add(id);
    }
  }

  private start(id: NodeId): void {
    const n = this.nodes.get(id)!;
    const streams = this.rng.fork();
    n.replica = createReplica(
      {
        id,
        members: this.initialVoters,
        bugs: this.opts.bugs,
        random: () => streams.next(),
        electionTimeoutMs: [...DEFAULT_ELECTION_TIMEOUT_MS],
        heartbeatMs: 50,
        snapshotEvery: this.opts.snapshotEvery,
        election: this.opts.election ?? 'random',
        ...(this.opts.leaseMs ? { leaseMs: this.opts.leaseMs } : {}),
      },
      n.disk.read(),
    );
    const life = n.life;
    const bug = this.opts.bugs.has('ack-before-fsync');
    // Under the bug records stay volatile a while after they were acknowledged.
    const storage = new SimDisk(n.disk, this.sched, this.rng, bug ? this.opts.fsyncDelay : this.opts.fsyncLatency, () => n.life === life);
    n.storage = storage;
    n.pipeline = new ReadyPipeline(
      storage,
      { deliver: (o) => this.deliver(n, o) },
      bug,
      (through) => this.reportDurable(n, through),
      (f) => this.sched.after(0, () => n.life === life && f()),
    );
    const offset = this.rng.range(0, this.opts.tickMs);
    const tick = (): void => {
      if (n.life !== life || !n.replica) return;
      this.input(id, { type: 'tick', now: this.sched.now, wall: this.wall(id) });
      this.sched.after(this.opts.tickMs, tick);
    };
    this.sched.after(offset, tick);
  }

  /** Fault: from now on `id`'s wall clock reads `offsetMs` away from the simulated time (0: true again). */
  setWallOffset(id: NodeId, offsetMs: number): void {
    if (offsetMs === 0) this.wallOffsets.delete(id);
    else this.wallOffsets.set(id, offsetMs);
  }

  private wall(id: NodeId): number {
    return this.sched.now + (this.wallOffsets.get(id) ?? 0);
  }

  /** Fault: `id`'s next fsync stalls for `stallMs`, and `crash` (which crashes it) runs instead of it. */
  crashDuringFsync(id: NodeId, stallMs: number, crash: () => void): void {
    this.nodes.get(id)?.storage?.stallNextFsync(stallMs, crash);
  }

  isUp(id: NodeId): boolean {
    return this.nodes.get(id)?.replica != null;
  }

  /** Power loss or SIGKILL: memory and unsynced writes are gone. */
  crash(id: NodeId): void {
    const n = this.nodes.get(id)!;
    if (!n.replica) return;
    const status = n.replica.status();
    if (status.role === 'leader' && this.leaderCrashedAt === null) this.leaderCrashedAt = this.sched.now;
    this.pastCampaigns += Number(status.campaigns ?? 0);
    n.replica = null;
    n.life++;
    n.requestIds = new Map();
    n.nextRequestId = 1;
    n.crashes++;
    n.storage = null;
    n.pipeline = null;
    n.lastDurable = 0;
    n.disk.crash();
  }

  restart(id: NodeId): void {
    const n = this.nodes.get(id)!;
    if (n.replica || this.retired.has(id)) return;
    this.start(id);
  }

  /** A spare (or a removed member, on its old disk) starts, to be added. */
  enlist(id: NodeId): void {
    this.retired.delete(id);
    this.restart(id);
  }

  /** A removed member stops for good (until enlisted again). */
  retire(id: NodeId): void {
    this.crash(id);
    this.retired.add(id);
  }

  /** Ask `node` for a membership change; `done` hears the answer (never, if it is lost or the node is down). */
  admin(node: NodeId, command: MemberCommand, done: (result: ClientResult) => void): boolean {
    const id = `admin${this.adminSeq++}`;
    if (!this.request(node, { id, command })) return false;
    this.adminReplies.set(id, done);
    return true;
  }

  request(node: NodeId, req: ClientRequest): boolean {
    if (!this.isUp(node)) return false;
    const n = this.nodes.get(node)!;
    const local = String(n.nextRequestId++);
    n.requestIds.set(local, req.id);
    this.input(node, { type: 'request', request: { ...req, id: local }, now: this.sched.now, wall: this.wall(node) });
    return true;
  }

  status(id: NodeId) {
    return this.nodes.get(id)?.replica?.status() ?? null;
  }

  /** Campaigns started by every life of every node so far: more than one per failover means proposers dueled. */
  campaigns(): number {
    let live = 0;
    for (const n of this.nodes.values()) live += Number(n.replica?.status().campaigns ?? 0);
    return this.pastCampaigns + live;
  }

  leaders(): NodeId[] {
    return this.ids.filter((id) => this.status(id)?.role === 'leader');
  }

  private input(id: NodeId, input: Input): void {
    const n = this.nodes.get(id)!;
    const r = n.replica;
    if (!r) return;
    const ready = r.step(input);
    if (this.leaderCrashedAt !== null && r.status().role === 'leader') {
      this.failovers.push(this.sched.now - this.leaderCrashedAt);
      this.leaderCrashedAt = null;
    }
    this.monitor.observe(id, r);
    this.handle(n, ready);
    this.afterStep?.(id, input.type);
  }

  private handle(n: SimNode, ready: Ready): void {
    n.pipeline?.handle(ready);
  }

  private deliver(n: SimNode, o: Outputs): void {
    this.sendAll(n, o.messages);
    for (const { id, result } of o.replies) {
      const attempt = n.requestIds.get(id);
      if (attempt === undefined) {
        this.monitor.strayReply(n.id, id);
        continue;
      }
      n.requestIds.delete(id);
      const admin = this.adminReplies.get(attempt);
      if (admin) {
        this.adminReplies.delete(attempt);
        // Not in the middle of this node's outputs: the answer may well stop the node.
        this.sched.after(0, () => admin(result));
      } else this.onReply(n.id, attempt, result);
    }
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
