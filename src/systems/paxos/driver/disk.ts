// What the Ready pipeline needs of durable storage: the node's write-ahead log (node/wal.ts)
// and the simulator's fake disk (sim/sim-disk.ts) both provide it, so both run the same
// pipeline and honour Ready the same way.
import type { DurableRecord } from '../types.ts';

export interface Disk {
  /**
   * Queues records (after replacing everything by `snapshot`, when given) for the next sync;
   * returns the write's sequence number, or the last one when there is nothing to write.
   */
  append(records: readonly DurableRecord[], snapshot?: DurableRecord): number;
  /** Every write numbered up to this is durable. */
  readonly durable: number;
  /** Called with the new `durable` after each sync. */
  onDurable(listener: (seq: number) => void): void;
}
