// Which op names a history may use: those of its model (the registry's `fs`), with the model
// inferred from the history when none is named. Used to report an unknown f at its line, as an
// input error rather than a verdict.
import type { HistoryEvent } from '../types.ts';
import { models } from '../models/index.ts';

/**
 * The model the first telling f implies: kv if any get/put/append, else counter if any inc,
 * else cas-register if any cas, else register. Ops outside that model are then reported by
 * toOperations at their line (a history mixing inc and cas fails at the first op that does not fit).
 */
export function inferModelName(events: readonly HistoryEvent[]): string {
  let cas = false;
  for (const e of events) {
    if (e.process === 'nemesis') continue;
    if (e.f === 'get' || e.f === 'put' || e.f === 'append') return 'kv';
    if (e.f === 'inc') return 'counter';
    if (e.f === 'cas') cas = true;
  }
  return cas ? 'cas-register' : 'register';
}

/** The fs the named model accepts; undefined for a name the registry does not know (no check). */
export function opsOf(model: string): ReadonlySet<string> | undefined {
  const m = Object.hasOwn(models, model) ? models[model] : undefined;
  return m ? new Set(m.fs) : undefined;
}
