// Named failpoints in the node's driver, for aiming faults at the moments that matter (as etcd's
// gofail does): armed at run time through the admin API, each fires once and is then off; an
// unarmed point costs one Map lookup. Points:
//   promise-sent    just after this node sent a promise for a new ballot (the acceptor crashes
//                   before it hears from the new leader again: what promise-not-persisted needs)
//   leader-elected  the moment this node won phase 1, before its own no-op is chosen
//   reply-sent      as leader, just after answering clients, before the commit index that
//                   answer rests on reaches any follower (a crash here leaves acknowledged
//                   writes chosen but known chosen to nobody alive: what a new leader's
//                   recovery must find, and what leader-skips-recovery and read-before-noop miss)
//   snapshot-written  mid-compaction: the snapshot's new log file is written and synced, not yet
//                   renamed over the old one (a crash here leaves both; the next start must
//                   recover from the old log alone and lose nothing)
//   before-apply    a step in which this node learned entries chosen: the core has applied them
//                   to its in-memory state, but nothing of that step has left the node yet (no
//                   reply, no log record, no message). The applied state lives only in memory and
//                   is rebuilt from the log at start, so a crash here is a crash before apply.
// Actions: `crash` (SIGKILL of itself, as power loss: the page cache survives, nothing else;
// with `ms`, that long after the point, the node going on meanwhile),
// `pause` (the whole process stops for `ms`, as SIGSTOP would, then goes on), `delay` (phase-2
// messages, accept and accepted, are held for `ms` and then sent in order; heartbeats, promises,
// reads and client traffic go on: a new leader stays "elected but not caught up" that long),
// `error` (only at snapshot-written, the one point with an I/O operation to fail: the rename
// fails as with EIO, and the node must stop as it does on any failed log write, not carry on).
import type { FailpointAction } from '../../../system/db.ts';

export type { FailpointAction };
export const FAILPOINTS = ['promise-sent', 'leader-elected', 'reply-sent', 'snapshot-written', 'before-apply'] as const;
export type FailpointName = (typeof FAILPOINTS)[number];
/** The points at which an I/O operation happens, so an `error` action means something there. */
const ERROR_POINTS: readonly FailpointName[] = ['snapshot-written'];

export class FailpointError extends Error {}

/** Checks a request body: what the admin API accepts, nothing else. */
export function parseFailpoint(body: Record<string, unknown>): { point: FailpointName; act: FailpointAction } {
  const point = body.point;
  if (typeof point !== 'string' || !(FAILPOINTS as readonly string[]).includes(point)) {
    throw new FailpointError(`"point" must be one of ${FAILPOINTS.join(', ')}`);
  }
  if (body.action === 'crash') {
    // Optional: crash that long after the point (a new leader killed within N ms of its election).
    if (body.ms === undefined) return { point: point as FailpointName, act: { action: 'crash' } };
    const ms = body.ms;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 60_000) throw new FailpointError('"ms" must be an integer from 0 to 60000 for a crash');
    return { point: point as FailpointName, act: { action: 'crash', ms } };
  }
  if (body.action === 'error') {
    if (!ERROR_POINTS.includes(point as FailpointName)) throw new FailpointError(`"error" can be armed only at ${ERROR_POINTS.join(', ')}: ${point} has no I/O operation to fail`);
    return { point: point as FailpointName, act: { action: 'error' } };
  }
  if (body.action === 'pause' || body.action === 'delay') {
    const ms = body.ms;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > 60_000) throw new FailpointError(`"ms" must be an integer from 1 to 60000 for a ${body.action}`);
    return { point: point as FailpointName, act: { action: body.action, ms } };
  }
  throw new FailpointError('"action" must be crash, pause, delay or error');
}

export class Failpoints {
  private readonly armed = new Map<FailpointName, FailpointAction>();
  readonly hits: { point: FailpointName; action: string; at: string }[] = [];

  /** performance.now() until which phase-2 messages are held (a fired `delay`). */
  private holdUntil = 0;

  constructor(private readonly log: (line: string) => void) {}

  /** Milliseconds phase-2 messages are still held for; 0 when they are not. */
  holding(): number {
    // Asked for every phase-2 message sent: no clock read unless a delay has fired.
    if (this.holdUntil === 0) return 0;
    const left = this.holdUntil - performance.now();
    if (left > 0) return left;
    this.holdUntil = 0;
    return 0;
  }

  arm(point: FailpointName, act: FailpointAction): void {
    this.armed.set(point, act);
    this.log(`failpoint ${point} armed: ${describe(act)}`);
  }

  disarmAll(): void {
    this.armed.clear();
  }

  list(): { armed: Record<string, FailpointAction>; hits: Failpoints['hits'] } {
    return { armed: Object.fromEntries(this.armed), hits: this.hits };
  }

  /** The point is reached: fire its action once, if armed. */
  hit(point: FailpointName): void {
    const act = this.armed.get(point);
    if (!act) return;
    this.armed.delete(point);
    this.hits.push({ point, action: act.action, at: new Date().toISOString() });
    this.log(`failpoint ${point} fired: ${describe(act)}`);
    if (act.action === 'error') {
      // Thrown into the I/O path at this point, which handles it as it would the real error.
      throw new Error(`failpoint ${point}: injected I/O error (EIO)`);
    } else if (act.action === 'delay') {
      this.holdUntil = performance.now() + act.ms;
    } else if (act.action === 'crash' && act.ms !== undefined) {
      // The node goes on meanwhile, as it would have: only the moment of the crash is aimed.
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), act.ms);
    } else if (act.action === 'crash') {
      // A moment for what was just written to reach the socket, then die as power loss does.
      // After a reply, only that moment: the HTTP answer is written by the next tick, while peer
      // frames wait for the transport's setImmediate flush, so the followers never see them.
      // Mid-snapshot, at once: the rename is the very next thing the log does; before apply, at
      // once too, or the step's replies and records would leave on the way out.
      if (point === 'snapshot-written' || point === 'before-apply') process.kill(process.pid, 'SIGKILL');
      else if (point === 'reply-sent') process.nextTick(() => process.kill(process.pid, 'SIGKILL'));
      else setImmediate(() => process.kill(process.pid, 'SIGKILL'));
    } else {
      // The event loop stops: no timers, no sockets, no fsync callbacks, as with SIGSTOP.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, act.ms);
    }
  }
}

function describe(act: FailpointAction): string {
  if (act.action === 'pause' || act.action === 'delay') return `${act.action} ${act.ms} ms`;
  return act.action === 'crash' && act.ms !== undefined ? `crash after ${act.ms} ms` : act.action;
}
