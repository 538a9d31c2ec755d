// A tiny synchronous driver for unit tests: replicas exchange messages through a FIFO queue,
// with a filter to cut links, and durable records kept per node (persist honoured at once).
import { createReplica, type Replica } from '../../src/systems/paxos/core/index.ts';
import type { BugName, ClientResult, Command, DurableRecord, MemberCommand, NodeId, PeerMessage, Ready } from '../../src/systems/paxos/types.ts';

export class Harness {
  readonly replicas = new Map<NodeId, Replica>();
  readonly disks = new Map<NodeId, DurableRecord[]>();
  readonly replies = new Map<string, ClientResult>();
  readonly queue: { from: NodeId; to: NodeId; message: PeerMessage }[] = [];
  now = 0;
  cut = new Set<NodeId>();
  private seq = 0;

  /**
   * `ids` is the pool; `voters` (default: all of it) the initial configuration, and only those
   * start: the others are spares, started with start(id) when a test adds them.
   */
  constructor(readonly ids: NodeId[], private readonly opts: { snapshotEvery?: number; bugs?: BugName[]; voters?: NodeId[] } = {}) {
    for (const id of opts.voters ?? ids) this.start(id);
  }

  start(id: NodeId): void {
    let x = this.ids.indexOf(id) + 1;
    const random = (): number => {
      x = (x * 48271) % 2147483647;
      return x / 2147483647;
    };
    const disk = this.disks.get(id) ?? [];
    this.disks.set(id, disk);
    this.replicas.set(id, createReplica({ id, members: this.opts.voters ?? this.ids, random, snapshotEvery: this.opts.snapshotEvery ?? 1000, bugs: new Set(this.opts.bugs ?? []) }, structuredClone(disk)));
  }

  crash(id: NodeId): void {
    this.replicas.delete(id);
  }

  handle(id: NodeId, r: Ready): void {
    const disk = this.disks.get(id)!;
    if (r.snapshot) disk.splice(0, disk.length, r.snapshot);
    disk.push(...r.persist);
    for (const m of [...r.unsynced, ...r.messages]) this.queue.push({ from: id, to: m.to, message: m.message });
    for (const rep of r.replies) this.replies.set(rep.id, rep.result);
    // Durable at once: tell the core, as the node does after its fsync.
    const replica = this.replicas.get(id);
    if ((r.persist.length > 0 || r.snapshot) && replica) this.handle(id, replica.step({ type: 'durable', through: r.seq }));
  }

  /** Deliver queued messages (and the ones they cause) until the network is quiet. */
  deliverAll(limit = 100_000): void {
    for (let i = 0; i < limit && this.queue.length > 0; i++) {
      const { from, to, message } = this.queue.shift()!;
      if (this.cut.has(from) || this.cut.has(to)) continue;
      const r = this.replicas.get(to);
      if (r) this.handle(to, r.step({ type: 'message', from, message }));
    }
  }

  /** Advance time in small ticks, delivering everything between ticks. */
  run(ms: number, tick = 10): void {
    for (let t = 0; t < ms; t += tick) {
      this.now += tick;
      for (const [id, r] of this.replicas) this.handle(id, r.step({ type: 'tick', now: this.now }));
      this.deliverAll();
    }
  }

  leader(): NodeId | undefined {
    return [...this.replicas].find(([id, r]) => r.status().role === 'leader' && !this.cut.has(id))?.[0];
  }

  request(node: NodeId, command: Command | MemberCommand, clientId?: string, requestId?: string): string {
    const id = `r${this.seq++}`;
    const req = { id, command, ...(clientId ? { clientId } : {}), ...(requestId ? { requestId } : {}) };
    this.handle(node, this.replicas.get(node)!.step({ type: 'request', request: req }));
    return id;
  }
}
