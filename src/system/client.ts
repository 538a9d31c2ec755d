// The client seam (Jepsen's Client protocol): how a worker turns a planned op into a call on one
// node of the system under test, and the call's outcome into a completion for the history.
//
// Every outcome must be classified honestly, because the checker believes it:
//   ok    the op happened, with this result;
//   fail  the op surely did NOT happen (refused before sending, rejected outright, a compare
//         that did not match): the checker drops it;
//   info  it may or may not have happened (timeout, reset, a 5xx, a crash mid-call): the checker
//         lets it take effect at any time after its invoke, or never.
// Calling an uncertain outcome `fail` makes tenrec report anomalies that never happened (or miss
// real ones); when in doubt, say `info`.
import type { DbNode } from './db.ts';

/** One planned op, as the workload's generator made it. */
export interface ClientOp {
  /** `read`, `write`, `cas`, `inc`, `add`, …: the workload says which (Workload.fs). */
  f: string;
  key?: string;
  value: unknown;
}

export interface Completion {
  type: 'ok' | 'fail' | 'info';
  /** For `ok`: the value as docs/history-format.md spells it (read value, written value, …). */
  value: unknown;
  /** Why it failed or is unknown, in a word or two (`timeout`, `not-leader`, `compare-failed`). */
  error?: string;
}

export interface InvokeContext {
  /** Past this the client must give up and answer `info`. */
  timeoutMs: number;
  /**
   * Ids that name this op for deduplication: a resend of an op of unknown outcome carries the
   * same pair (a system without dedup may ignore them).
   */
  ids: { clientId: string; requestId: string };
}

/** A connection to one node. `invoke` never throws for trouble on the wire: it answers `info`. */
export interface Client {
  invoke(op: ClientOp, ctx: InvokeContext): Promise<Completion>;
  close(): void | Promise<void>;
}

/** Made once per run; hands out clients and, at the end, releases what they share. */
export interface ClientFactory {
  /** Opens a client to `node` for a workload (one per worker and node, opened on first use). */
  open(node: DbNode, workload: string): Client;
  close?(): void | Promise<void>;
}
