import { describe, expect, it } from 'vitest';
import { niceBucket, perfSeries } from '../../src/report/perf.ts';
import { pairHistory } from '../../src/report/pair.ts';
import { latencySummary, quantile } from '../../src/report/stats.ts';
import type { HistoryEvent } from '../../checker/types.ts';

const ms = 1e6;

describe('stats', () => {
  it('takes nearest-rank quantiles', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(s, 0.5)).toBe(50);
    expect(quantile(s, 0.99)).toBe(99);
    expect(quantile(s, 1)).toBe(100);
    expect(quantile([], 0.5)).toBeNaN();
    expect(latencySummary([3, 1, 2])).toEqual({ count: 3, p50: 2, p95: 3, p99: 3, max: 3 });
  });
});

describe('perfSeries', () => {
  it('picks round bucket widths', () => {
    expect(niceBucket(60)).toBe(1);
    expect(niceBucket(30)).toBe(0.5);
    expect(niceBucket(0)).toBe(1);
  });

  it('buckets latencies by invoke time and throughput by completion time, per outcome', () => {
    const h: HistoryEvent[] = [];
    // 10 ok ops of 2 ms in the first second, one fail at 30 s, one info that never returns.
    for (let i = 0; i < 10; i++) {
      h.push({ process: 0, type: 'invoke', f: 'read', value: null, time: i * 100 * ms });
      h.push({ process: 0, type: 'ok', f: 'read', value: 0, time: i * 100 * ms + 2 * ms });
    }
    h.push({ process: 0, type: 'invoke', f: 'write', value: 1, time: 30_000 * ms });
    h.push({ process: 0, type: 'fail', f: 'write', value: 1, time: 30_010 * ms });
    h.push({ process: 1, type: 'invoke', f: 'write', value: 2, time: 59_000 * ms });
    h.push({ process: 0, type: 'invoke', f: 'read', value: null, time: 60_000 * ms });
    const p = pairHistory(h);
    const series = perfSeries(p.ops, p.end);
    expect(series.bucket).toBe(1);
    expect(series.points).toHaveLength(11);
    expect(series.points.filter((x) => x[2] === 'fail')).toEqual([[30, 10, 'fail']]);
    expect(series.quantiles).toEqual([[0, 2, 2, 2]]);
    expect(series.throughput[0]).toEqual([0, 10, 0, 0]);
    expect(series.throughput[30]).toEqual([30, 0, 1, 0]);
  });
});
