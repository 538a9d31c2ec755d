// P-compositionality: split a history into parts that never interact (one per key).
import type { AnyModel } from './models/model.ts';
import type { Operation } from './types.ts';

export interface Part {
  key: string | null;
  ops: Operation[];
}

/**
 * Splits by Model.partitionKey, validating every op on the way (Model.prepare throws on bad input) and
 * keeping what it prepared, part by part, so no op is prepared twice in this thread.
 */
export function partitionPrepared(model: AnyModel, ops: readonly Operation[]): { parts: Part[]; prepared: unknown[][] } {
  const index = new Map<string | null, number>();
  const parts: Part[] = [];
  const prepared: unknown[][] = [];
  for (const op of ops) {
    const p = model.prepare(op);
    const k = model.partitionKey(op);
    let i = index.get(k);
    if (i === undefined) {
      index.set(k, (i = parts.length));
      parts.push({ key: k, ops: [] });
      prepared.push([]);
    }
    parts[i]!.ops.push(op);
    prepared[i]!.push(p);
  }
  return { parts, prepared };
}
