// Register values arrive as arbitrary JSON. Comparing them must be by value and cheap, so each
// value is mapped once to a Map-friendly primitive: primitives stay themselves, an integer beyond
// 2^53 (a BigInt, exact) becomes its digits behind one prefix, anything else its JSON text behind
// another; no real string starts with either.
import type { StateKey } from './model.ts';
import { stringifyExact } from '../formats/exact-json.ts';

const STRUCTURED = '\u0000json:';
const BIG_INTEGER = '\u0000int:';

export function valueKey(v: unknown): StateKey {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : BIG_INTEGER + v.toString();
  return STRUCTURED + stringifyExact(v);
}

export function describeValue(v: unknown): string {
  if (typeof v === 'string' && v.startsWith(STRUCTURED)) return v.slice(STRUCTURED.length);
  if (typeof v === 'string' && v.startsWith(BIG_INTEGER)) return v.slice(BIG_INTEGER.length);
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** Where an op came from, for error messages ("line 12"). */
export function opWhere(op: { source?: { file?: string; line?: number }; invokeIndex: number }): string {
  const s = op.source;
  if (s?.line !== undefined) return `${s.file ? s.file + ':' : 'line '}${s.line}`;
  return `event ${op.invokeIndex}`;
}
