// The models by name, and picking one from the `f`s a history uses.
import type { Operation } from '../types.ts';
import type { AnyModel } from './model.ts';
import { counter } from './counter.ts';
import { kv } from './kv.ts';
import { casRegister, register } from './register.ts';
import { mutex } from './mutex.ts';
import { set } from './set.ts';
import { fifoQueue, unorderedQueue } from './queue.ts';
import { multiRegister } from './multi-register.ts';

export type { Model, AnyModel, StateKey } from './model.ts';
export { ModelInputError, parseInitialText } from './model.ts';

export const models: Readonly<Record<string, AnyModel>> = Object.freeze({
  register,
  'cas-register': casRegister,
  counter,
  kv,
  mutex,
  set,
  'fifo-queue': fifoQueue,
  'unordered-queue': unorderedQueue,
  'multi-register': multiRegister,
});

export function modelNames(): string[] {
  return Object.keys(models);
}

/** Looks a model up by name; throws an Error listing the known names. */
export function getModel(name: string): AnyModel {
  const m = Object.hasOwn(models, name) ? models[name] : undefined;
  if (!m) throw new Error(`unknown model "${name}" (known: ${modelNames().join(', ')})`);
  return m;
}

/**
 * The smallest model that understands every `f` in the history: a history with `inc` is a
 * counter, `get`/`put`/`append` is kv, `cas` is a cas-register, plain reads and writes a register.
 */
export function inferModel(ops: readonly Pick<Operation, 'f'>[]): AnyModel {
  const fs = new Set(ops.map((o) => o.f));
  const order = [register, casRegister, counter, kv, mutex, set, unorderedQueue, multiRegister];
  for (const m of order) {
    if ([...fs].every((f) => m.fs.includes(f))) return m;
  }
  throw new Error(`no model understands all of: ${[...fs].sort().join(', ')}`);
}
