// Simulated clients: each runs one op at a time, drawn from the counter workload's generator (the
// one real runs use: inc or read on a few keys), picks a node, and on
// a timeout or an unclear answer retries the same request (same client id / request id) on
// another node until its deadline; then the op is recorded as info and the client continues as
// a fresh process, as the history format requires.
import type { HistoryEvent } from '../../../../checker/types.ts';
import type { ClientResult, Command, NodeId } from '../types.ts';
import { counterOps } from '../../../../workloads/counter.ts';
import type { Generator } from '../../../../workloads/generator.ts';
import type { Random } from './random.ts';
import type { Scheduler } from './scheduler.ts';
import type { World } from './world.ts';

export interface ClientOptions {
  clients: number;
  keys: string[];
  attemptTimeout: [number, number];
  opDeadline: number;
  thinkTime: [number, number];
  /** Client ↔ node one-way latency, and the chance a reply is lost on the way back. */
  linkDelay: [number, number];
  replyLoss: number;
}

interface Attempt {
  client: SimClient;
  op: number;
}

interface SimClient {
  slot: number;
  process: number;
  clientId: string;
  nextRequest: number;
  op: number; // increments per op so stale attempts are recognised
  busy: boolean;
  preferred: NodeId | null;
}

export class Clients {
  readonly history: HistoryEvent[] = [];
  private clients: SimClient[] = [];
  private nextProcess = 0;
  private attempts = new Map<string, Attempt>();
  private attemptSeq = 0;
  private handlers = new Map<string, (node: NodeId, result: ClientResult) => void>();
  private stopAt = Infinity;
  /** Shared by every client, as the workers of a real run share theirs. */
  private ops: Generator;
  completed = 0;
  infos = 0;

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Random,
    private readonly world: World,
    private readonly o: ClientOptions,
  ) {
    world.onReply = (node, id, result) => this.onReply(node, id, result);
    this.ops = counterOps(o.keys);
  }

  /** Start issuing ops until `until` (simulated ms). */
  start(until: number): void {
    this.stopAt = until;
    for (let i = 0; i < this.o.clients; i++) {
      const c: SimClient = { slot: i, process: this.nextProcess++, clientId: `c${i}`, nextRequest: 1, op: 0, busy: false, preferred: null };
      this.clients.push(c);
      this.sched.after(this.rng.range(...this.o.thinkTime), () => this.next(c));
    }
  }

  /** One final read of every key, from fresh processes, retried until it succeeds or `until`. */
  finalReads(until: number): void {
    this.stopAt = -Infinity;
    for (const key of this.o.keys) {
      const c: SimClient = { slot: -1, process: this.nextProcess++, clientId: `final-${key}`, nextRequest: 1, op: 0, busy: false, preferred: null };
      this.invoke(c, { op: 'read', key }, until);
    }
  }

  private next(c: SimClient): void {
    if (this.sched.now >= this.stopAt || c.busy) return;
    const step = this.ops.step({ time: this.ns(), rng: this.rng });
    if (step.kind !== 'op') return; // the counter workload never pauses or ends
    this.ops = step.next;
    const { f, key, value } = step.op;
    const command: Command = f === 'inc' ? { op: 'inc', key: key!, delta: value as number } : { op: 'read', key: key! };
    this.invoke(c, command, this.sched.now + this.o.opDeadline);
  }

  private invoke(c: SimClient, command: Command, deadline: number): void {
    c.busy = true;
    c.op++;
    const requestId = String(c.nextRequest++);
    const f = command.op;
    const value = command.op === 'inc' ? command.delta : null;
    this.record({ process: c.process, type: 'invoke', f, key: command.key, value, time: this.ns() });
    const op = c.op;
    const state = { finished: false };
    const finish = (event: Omit<HistoryEvent, 'process' | 'time' | 'f' | 'key'>): void => {
      if (state.finished) return;
      state.finished = true;
      c.busy = false;
      c.op++; // late answers to this op's attempts are ignored from now on
      this.record({ process: c.process, f, key: command.key, time: this.ns(), ...event } as HistoryEvent);
      this.completed++;
      if (event.type === 'info') {
        this.infos++;
        c.process = this.nextProcess++;
      }
      if (c.slot >= 0) this.sched.after(this.rng.range(...this.o.thinkTime), () => this.next(c));
    };
    const attempt = (): void => {
      if (state.finished || c.op !== op) return;
      if (this.sched.now >= deadline) {
        finish({ type: 'info', value: null, error: 'timeout' });
        return;
      }
      const node = c.preferred && this.rng.chance(0.8) ? c.preferred : this.rng.pick(this.world.ids);
      const id = `a${this.attemptSeq++}`;
      this.attempts.set(id, { client: c, op });
      this.sched.after(this.rng.range(...this.o.linkDelay), () => {
        const req = { id, clientId: c.clientId, requestId, command };
        // A down node refuses the connection: nothing happened, try elsewhere shortly.
        if (!this.world.request(node, req)) {
          this.attempts.delete(id);
          this.sched.after(this.rng.range(1, 5), attempt);
        }
      });
      const timeout = this.rng.range(...this.o.attemptTimeout);
      this.sched.after(timeout, () => {
        this.handlers.delete(id);
        if (!this.attempts.delete(id) || state.finished) return;
        c.preferred = null; // it may have taken effect there: the retry carries the same request id
        attempt();
      });
      this.handlers.set(id, (node2: NodeId, result: ClientResult) => {
        if (state.finished || c.op !== op) return;
        if (result.ok) {
          c.preferred = node2;
          finish({ type: 'ok', value: result.value, node: node2 });
        } else if (result.error === 'cas-mismatch') {
          finish({ type: 'fail', value: null, node: node2, error: 'cas-mismatch' });
        } else {
          // not-leader: nothing happened here; unknown: it may have. Either way retry elsewhere;
          // only the deadline ends the op (as info), so a fail is never recorded for an ambiguity.
          c.preferred = result.error === 'not-leader' ? result.leader : null;
          this.sched.after(this.rng.range(2, 10), attempt);
        }
      });
    };
    attempt();
  }

  private onReply(node: NodeId, id: string, result: ClientResult): void {
    if (!this.attempts.has(id)) return;
    if (this.rng.chance(this.o.replyLoss)) return; // lost on the way back; the attempt times out
    this.sched.after(this.rng.range(...this.o.linkDelay), () => {
      if (!this.attempts.delete(id)) return;
      const h = this.handlers.get(id);
      this.handlers.delete(id);
      h?.(node, result);
    });
  }

  private record(e: HistoryEvent): void {
    this.history.push(e);
  }

  private ns(): number {
    return Math.round(this.sched.now * 1e6);
  }

  get idle(): boolean {
    return this.clients.every((c) => !c.busy);
  }
}
