// The driver's half that the node and the simulator share: turns the core's Readys into effects in the one order that keeps Paxos safe: records are
// made durable first, and only then do the messages that depend on them leave. Those are
// released strictly in Ready order, so a later Ready that wrote nothing (say, a repeated accept
// answered from memory) cannot overtake the fsync its answer relies on.
// Replies and the core's `unsynced` messages rely on nothing pending and leave at once; the
// core learns which Readys are durable through `onDurable` (it counts its own votes then).
import type { Ready } from '../types.ts';
import type { Disk } from './disk.ts';
import type { Outputs, Transport } from './transport.ts';

export type { Outputs, Transport } from './transport.ts';

export class ReadyPipeline {
  private readonly waiting: { seq: number; outputs: Outputs }[] = [];
  /** Readys that wrote records, by WAL sequence: reported durable once the WAL says so. */
  private readonly writes: { walSeq: number; ready: number }[] = [];

  constructor(
    private readonly wal: Disk,
    /** Sends messages and replies (the node's TCP and HTTP, the simulated network). */
    private readonly transport: Transport,
    /** Bug `ack-before-fsync`: release outputs before their records are durable. */
    private readonly ackBeforeFsync = false,
    /** Every Ready up to this number is durable. */
    private readonly onDurable: (through: number) => void = () => {},
    /** Runs `f` soon, after this step (a microtask in the node, a timer in the simulator). */
    private readonly later: (f: () => void) => void = queueMicrotask,
  ) {
    wal.onDurable((seq) => this.release(seq));
  }

  handle(ready: Ready): void {
    const seq = this.wal.append(ready.persist, ready.snapshot);
    const wrote = ready.persist.length > 0 || ready.snapshot !== undefined;
    if (ready.unsynced.length > 0 || ready.replies.length > 0) this.transport.deliver({ messages: ready.unsynced, replies: ready.replies });
    if (ready.messages.length > 0) {
      const outputs = { messages: ready.messages, replies: [] };
      if (this.ackBeforeFsync || (this.waiting.length === 0 && seq <= this.wal.durable)) this.transport.deliver(outputs);
      else this.waiting.push({ seq, outputs });
    }
    if (!wrote) return;
    // The bug treats a write as durable the moment it is queued.
    if (this.ackBeforeFsync) this.later(() => this.onDurable(ready.seq));
    else this.writes.push({ walSeq: seq, ready: ready.seq });
  }

  private release(durableSeq: number): void {
    while (this.waiting.length > 0 && this.waiting[0]!.seq <= durableSeq) {
      this.transport.deliver(this.waiting.shift()!.outputs);
    }
    let through = 0;
    while (this.writes.length > 0 && this.writes[0]!.walSeq <= durableSeq) through = this.writes.shift()!.ready;
    if (through > 0) this.onDurable(through);
  }

  /** Outputs held back waiting for an fsync (for status and tests). */
  get pending(): number {
    return this.waiting.length;
  }
}
