// Counts and latency percentiles of a history, shared by the report and `tenrec show`.
import type { ReportOp } from './pair.ts';

/** The q-th quantile (0..1) of sorted values, nearest-rank; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latencySummary(latenciesMs: readonly number[]): LatencySummary {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return { count: s.length, p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), max: s.length ? s[s.length - 1]! : Number.NaN };
}

/** Ops counted by f, then by outcome: `{ read: { ok: 10, fail: 1, info: 0 }, … }`. */
export type OpCounts = Record<string, { ok: number; fail: number; info: number }>;

export function countOps(ops: readonly ReportOp[]): OpCounts {
  const counts: OpCounts = {};
  for (const o of ops) {
    const c = (counts[o.f] ??= { ok: 0, fail: 0, info: 0 });
    c[o.outcome]++;
  }
  return counts;
}

/** Latencies (ms) of the ops that completed `ok`: the ones whose duration means something. */
export function okLatenciesMs(ops: readonly ReportOp[]): number[] {
  const out: number[] = [];
  for (const o of ops) if (o.outcome === 'ok' && o.ret !== null) out.push((o.ret - o.call) / 1e6);
  return out;
}
