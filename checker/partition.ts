// P-compositionality: split a history into parts that never interact (one per key).
import type { AnyModel } from './models/model.ts';
import type { Operation } from './types.ts';

export interface Part {
  key: string | null;
  ops: Operation[];
}

export function partitionOps(model: AnyModel, ops: readonly Operation[]): Part[] {
  const parts = new Map<string | null, Operation[]>();
  for (const op of ops) {
    const k = model.partitionKey(op);
    const g = parts.get(k);
    if (g) g.push(op);
    else parts.set(k, [op]);
  }
  return [...parts].map(([key, ops]) => ({ key, ops }));
}
