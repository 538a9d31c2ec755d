// Which op names each model family accepts, and which family a history's ops imply. Used to
// validate a history before checking (an unknown f is an input error, not a verdict).
import type { HistoryEvent } from '../types.ts';

export type ModelFamily = 'register' | 'cas-register' | 'counter' | 'kv';

export const FAMILY_OPS: Record<ModelFamily, ReadonlySet<string>> = {
  register: new Set(['read', 'write']),
  'cas-register': new Set(['read', 'write', 'cas']),
  counter: new Set(['read', 'inc']),
  kv: new Set(['get', 'put', 'append']),
};

/** The family of a model name (`kv-unpartitioned` is a kv model); undefined for a name we do not know. */
export function familyOf(model: string): ModelFamily | undefined {
  if (model in FAMILY_OPS) return model as ModelFamily;
  if (model.startsWith('kv')) return 'kv';
  if (model.startsWith('cas')) return 'cas-register';
  return undefined;
}

/**
 * The smallest family whose ops cover the first telling f: kv if any get/put/append, else counter if
 * any inc, else cas-register if any cas, else register. Ops outside that family are then reported
 * by toOperations, at their line.
 */
export function inferFamily(events: readonly HistoryEvent[]): ModelFamily {
  let cas = false;
  for (const e of events) {
    if (e.process === 'nemesis') continue;
    if (FAMILY_OPS.kv.has(e.f)) return 'kv';
    if (e.f === 'inc') return 'counter';
    if (e.f === 'cas') cas = true;
  }
  return cas ? 'cas-register' : 'register';
}
