// The series behind the performance plots (latency over time, throughput over time), computed
// here rather than in the browser so they are tested like the rest of the code.
import type { OpOutcome, ReportOp } from './pair.ts';
import { quantile } from './stats.ts';

export interface PerfSeries {
  /** Bucket width, seconds. */
  bucket: number;
  /** Every op that completed: [invoke time s, latency ms, outcome]. */
  points: [number, number, OpOutcome][];
  /** Per bucket (by invoke time), over ok ops: [bucket start s, p50, p95, p99] in ms; empty buckets skipped. */
  quantiles: [number, number, number, number][];
  /** Per bucket (by completion time): [bucket start s, ok/s, fail/s, info/s]. */
  throughput: [number, number, number, number][];
}

/** A round bucket width giving roughly `target` buckets over `durationS`. */
export function niceBucket(durationS: number, target = 60): number {
  if (!(durationS > 0)) return 1;
  const raw = durationS / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function perfSeries(ops: readonly ReportOp[], endNs: number): PerfSeries {
  const durationS = endNs / 1e9;
  const bucket = niceBucket(durationS);
  const n = Math.max(1, Math.ceil(durationS / bucket) + 1);
  const lat: number[][] = Array.from({ length: n }, () => []);
  const thr = Array.from({ length: n }, () => [0, 0, 0]);
  const points: PerfSeries['points'] = [];
  const slot = (s: number) => Math.min(n - 1, Math.max(0, Math.floor(s / bucket)));
  for (const o of ops) {
    if (o.ret === null) continue;
    const callS = o.call / 1e9;
    const ms = (o.ret - o.call) / 1e6;
    points.push([callS, ms, o.outcome]);
    if (o.outcome === 'ok') lat[slot(callS)]!.push(ms);
    thr[slot(o.ret / 1e9)]![o.outcome === 'ok' ? 0 : o.outcome === 'fail' ? 1 : 2]!++;
  }
  const quantiles: PerfSeries['quantiles'] = [];
  lat.forEach((l, i) => {
    if (l.length === 0) return;
    l.sort((a, b) => a - b);
    quantiles.push([i * bucket, quantile(l, 0.5), quantile(l, 0.95), quantile(l, 0.99)]);
  });
  const throughput = thr.map((t, i): [number, number, number, number] => [i * bucket, t[0]! / bucket, t[1]! / bucket, t[2]! / bucket]);
  return { bucket, points, quantiles, throughput };
}
