// A fake disk: writes sit in a volatile buffer until fsync; a crash (power loss) loses them.
import type { DurableRecord } from '../types.ts';

type Op = { kind: 'append'; record: DurableRecord } | { kind: 'replace'; record: DurableRecord };

export class FakeDisk {
  private synced: DurableRecord[] = [];
  private buffer: Op[] = [];

  write(snapshot: DurableRecord | undefined, records: DurableRecord[]): void {
    if (snapshot) this.buffer.push({ kind: 'replace', record: snapshot });
    for (const record of records) this.buffer.push({ kind: 'append', record });
  }

  get dirty(): boolean {
    return this.buffer.length > 0;
  }

  fsync(): void {
    for (const op of this.buffer) {
      if (op.kind === 'replace') this.synced = [op.record];
      else this.synced.push(op.record);
    }
    this.buffer = [];
  }

  /** Power loss: whatever was not fsynced is gone. */
  crash(): void {
    this.buffer = [];
  }

  /** What a restarting replica reads back (deep-copied: the core must not share memory across a crash). */
  read(): DurableRecord[] {
    return structuredClone(this.synced);
  }

  get size(): number {
    return this.synced.length;
  }
}
