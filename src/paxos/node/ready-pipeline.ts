// Turns the core's Readys into effects in the one order that keeps Paxos safe: records are
// made durable first, and only then do the messages and replies that depend on them leave.
// Outputs are released strictly in Ready order, so a later Ready that wrote nothing (say, a
// repeated accept answered from memory) cannot overtake the fsync its answer relies on.
import type { Ready } from '../types.ts';
import type { WriteAheadLog } from './wal.ts';

export interface Outputs {
  messages: Ready['messages'];
  replies: Ready['replies'];
}

export class ReadyPipeline {
  private readonly waiting: { seq: number; outputs: Outputs }[] = [];

  constructor(
    private readonly wal: WriteAheadLog,
    private readonly deliver: (outputs: Outputs) => void,
    /** Bug `ack-before-fsync`: release outputs before their records are durable. */
    private readonly ackBeforeFsync = false,
  ) {
    wal.onDurable((seq) => this.release(seq));
  }

  handle(ready: Ready): void {
    const seq = this.wal.append(ready.persist, ready.snapshot);
    if (ready.messages.length === 0 && ready.replies.length === 0) return;
    const outputs = { messages: ready.messages, replies: ready.replies };
    if (this.ackBeforeFsync || (this.waiting.length === 0 && seq <= this.wal.durable)) {
      this.deliver(outputs);
    } else {
      this.waiting.push({ seq, outputs });
    }
  }

  private release(durableSeq: number): void {
    while (this.waiting.length > 0 && this.waiting[0]!.seq <= durableSeq) {
      this.deliver(this.waiting.shift()!.outputs);
    }
  }

  /** Outputs held back waiting for an fsync (for status and tests). */
  get pending(): number {
    return this.waiting.length;
  }
}
