// Which op names a history may use: those of its model (the registry's `fs`), with the model
// inferred from the history when none is named. Used to report an unknown f at its line, as an
// input error rather than a verdict.
import type { HistoryEvent } from '../types.ts';
import { models } from '../models/index.ts';

/**
 * The model the first telling f implies: kv for get/put/append, counter for inc, mutex for
 * acquire/release, set for add, unordered-queue for enqueue/dequeue, multi-register for txn;
 * else cas-register if any cas, else register. Ops outside that model are then reported by
 * toOperations at their line (a history mixing inc and cas fails at the first op that does not fit).
 */
export function inferModelName(events: readonly HistoryEvent[]): string {
  let cas = false;
  for (const e of events) {
    if (e.process === 'nemesis') continue;
    if (e.f === 'get' || e.f === 'put' || e.f === 'append') return 'kv';
    if (e.f === 'inc') return 'counter';
    if (e.f === 'acquire' || e.f === 'release') return 'mutex';
    if (e.f === 'add') return 'set';
    // Whether a queue is FIFO the history cannot say: the weaker claim, unless --model says more.
    if (e.f === 'enqueue' || e.f === 'dequeue') return 'unordered-queue';
    if (e.f === 'txn') return 'multi-register';
    if (e.f === 'cas') cas = true;
  }
  return cas ? 'cas-register' : 'register';
}

/** The fs the named model accepts; undefined for a name the registry does not know (no check). */
export function opsOf(model: string): ReadonlySet<string> | undefined {
  const m = Object.hasOwn(models, model) ? models[model] : undefined;
  return m ? new Set(m.fs) : undefined;
}
