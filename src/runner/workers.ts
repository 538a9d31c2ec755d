// The client workers: `concurrency` loops that share one generator. Each asks it for the next op,
// waits for the op's scheduled time, records the invoke, calls the node and records the
// completion. A worker whose op ended `info` retires its logical process and continues as
// process + concurrency (history-format.md), so worker w always owns processes ≡ w (mod concurrency).
import type { Generator, PlannedOp } from '../../workloads/generator.ts';
import type { Rng } from '../../workloads/rng.ts';
import type { Client, ClientFactory, Completion } from '../system/client.ts';
import type { DbNode } from '../system/db.ts';
import type { HistoryRecorder } from './history-recorder.ts';

export interface WorkerPoolOptions {
  concurrency: number;
  nodes: () => DbNode[];
  history: HistoryRecorder;
  rng: Rng;
  /** The system's clients; each worker opens one per node it talks to. */
  clients: ClientFactory;
  /** The workload's name, passed to ClientFactory.open. */
  workload: string;
  opTimeoutMs: number;
  /** Distinguishes this run's dedup ids from any other run's. */
  runId: string;
  /** Set to stop the workers early (Ctrl-C). */
  aborted: () => boolean;
  /**
   * Resend an op whose outcome is unknown (timeout, reset, 5xx) this many more times, on the next
   * node, with the same client-id/request-id: the cluster applies it at most once (that is what
   * the ids are for), so the op can still end `ok`. This is also what exposes a broken dedup.
   */
  resendUnknown: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class WorkerPool {
  /** Next process number of each worker (grows by `concurrency` after each info). */
  private readonly processes: number[];
  /** Which node each worker talks to, as an index that moves on when a node seems down. */
  private readonly nodeCursor: number[];
  private seq = 0;
  /** Per worker, its open client to each node. */
  private readonly open: Map<string, Client>[];

  constructor(private readonly o: WorkerPoolOptions) {
    this.processes = Array.from({ length: o.concurrency }, (_, w) => w);
    this.nodeCursor = Array.from({ length: o.concurrency }, (_, w) => w);
    this.open = Array.from({ length: o.concurrency }, () => new Map());
  }

  private client(w: number, node: DbNode): Client {
    let c = this.open[w]!.get(node.id);
    if (!c) this.open[w]!.set(node.id, (c = this.o.clients.open(node, this.o.workload)));
    return c;
  }

  /** Closes every client the workers opened. */
  async close(): Promise<void> {
    for (const m of this.open) {
      for (const c of m.values()) await Promise.resolve(c.close()).catch(() => {});
      m.clear();
    }
  }

  /**
   * Runs every worker until the generator is done. `retryUntilOk` re-invokes an op (as a fresh op)
   * until it completes ok or the attempts run out: for the final reads, which must see the data.
   */
  async run(gen: Generator, opts: { retryUntilOk?: number } = {}): Promise<void> {
    let g = gen;
    const h = this.o.history;
    const worker = async (w: number): Promise<void> => {
      while (!this.o.aborted()) {
        const s = g.step({ time: h.now(), rng: this.o.rng });
        if (s.kind === 'done') return;
        g = s.next;
        if (s.kind === 'pending') {
          await sleep(Math.max(1, Math.min(100, (s.until - h.now()) / 1e6)));
          continue;
        }
        const wait = (s.op.time - h.now()) / 1e6;
        if (wait > 0) await sleep(wait);
        const attempts = opts.retryUntilOk ?? 1;
        for (let a = 0; a < attempts && !this.o.aborted(); a++) {
          const c = await this.invoke(w, s.op);
          if (c.type === 'ok') break;
          if (a + 1 < attempts) await sleep(250);
        }
      }
    };
    await Promise.all(Array.from({ length: this.o.concurrency }, (_, w) => worker(w)));
  }

  private async invoke(w: number, op: PlannedOp): Promise<Completion> {
    const nodes = this.o.nodes();
    const node = nodes[(op.node ?? this.nodeCursor[w]!) % nodes.length]!;
    const process = this.processes[w]!;
    const base = { process, f: op.f, ...(op.key !== undefined ? { key: op.key } : {}) };
    this.o.history.add({ ...base, type: 'invoke', value: op.value });
    const ids = { clientId: `${this.o.runId}-${process}`, requestId: String(this.seq++) };
    const ctx = { timeoutMs: this.o.opTimeoutMs, ids };
    let served = node;
    const call = { f: op.f, ...(op.key !== undefined ? { key: op.key } : {}), value: op.value };
    let c = await this.safely(() => this.client(w, node).invoke(call, ctx), op);
    for (let r = 0; r < this.o.resendUnknown && c.type === 'info' && op.node === undefined && !this.o.aborted(); r++) {
      this.nodeCursor[w] = this.nodeCursor[w]! + 1;
      served = nodes[this.nodeCursor[w]! % nodes.length]!;
      const first = c;
      const to = served;
      c = await this.safely(() => this.client(w, to).invoke(call, ctx), op);
      // The first send may still take effect: a resend that "surely did not happen" says nothing
      // about the first, so the op stays unknown.
      if (c.type === 'fail') c = { type: 'info', value: op.value, error: `${first.error ?? 'unknown'}; resend: ${c.error ?? 'fail'}` };
    }
    this.o.history.add({ ...base, type: c.type, value: c.value, node: served.id, ...(c.error ? { error: c.error } : {}) });
    if (c.type === 'info') this.processes[w] = process + this.o.concurrency;
    // A node that refuses or does not answer is probably down: try the next one from now on.
    if (c.type === 'info' || c.error === 'connection-refused') this.nodeCursor[w] = this.nodeCursor[w]! + 1;
    return c;
  }

  /** A client that throws broke its contract; the op's outcome is then unknown, and said so. */
  private async safely(f: () => Promise<Completion>, op: PlannedOp): Promise<Completion> {
    try {
      const c = await f();
      if (!c || (c.type !== 'ok' && c.type !== 'fail' && c.type !== 'info')) return { type: 'info', value: op.value, error: 'client-returned-no-completion' };
      return c;
    } catch (err) {
      return { type: 'info', value: op.value, error: `client-threw: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200) };
    }
  }
}
