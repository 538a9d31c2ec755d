// Builds Operations for checker tests without going through a history file.
import type { Operation } from '../../checker/types.ts';

export interface OpSpec {
  p?: number;
  f: string;
  key?: string;
  in?: unknown;
  out?: unknown;
  /** call and return times; return omitted = unknown outcome (info). */
  t: [number, number?];
  compareFailed?: boolean;
}

export function ops(specs: OpSpec[]): Operation[] {
  return specs.map((s, id) => {
    const info = s.t[1] === undefined;
    const op: Operation = {
      id,
      number: id + 1,
      process: s.p ?? id,
      f: s.f,
      input: s.in ?? null,
      output: info ? undefined : s.out,
      status: info ? 'info' : 'ok',
      call: s.t[0],
      return: info ? Infinity : s.t[1]!,
      invokeIndex: id,
    };
    if (s.key !== undefined) op.key = s.key;
    if (s.compareFailed) op.compareFailed = true;
    return op;
  });
}

/** A small seeded xorshift PRNG for the differential tests: a float in [0, 1) per call. */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
