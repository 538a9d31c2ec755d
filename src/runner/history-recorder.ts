// Records a run's history in the order the runner observes events, with times from one
// monotonic clock (ns since the test start), and keeps the live counts the progress line shows.
import type { EventType, HistoryEvent, ProcessId } from '../../checker/types.ts';

/** An event before the recorder stamps its time and index. */
export interface NewEvent {
  process: ProcessId;
  type: EventType;
  f: string;
  key?: string;
  value: unknown;
  node?: string;
  error?: string;
}

export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private readonly t0 = process.hrtime.bigint();
  private last = 0;
  readonly counts = { invoke: 0, ok: 0, fail: 0, info: 0 };

  /** ns since the start; never goes backwards down the history. */
  now(): number {
    const t = Number(process.hrtime.bigint() - this.t0);
    this.last = Math.max(this.last, t);
    return this.last;
  }

  elapsedMs(): number {
    return this.now() / 1e6;
  }

  add(e: NewEvent): HistoryEvent {
    const event = { ...e, time: this.now(), index: this.events.length } as HistoryEvent;
    this.events.push(event);
    if (e.process !== 'nemesis') this.counts[e.type]++;
    return event;
  }

  nemesis(f: string, value: unknown): HistoryEvent {
    return this.add({ process: 'nemesis', type: 'info', f, value });
  }

  toJsonl(): string {
    return this.events.map((e) => JSON.stringify(e)).join('\n') + (this.events.length ? '\n' : '');
  }
}
