// The data embedded in report.html for its scripts: ops, lanes, fault bands, plot series.
import type { FaultBand } from './bands.ts';
import type { Lane } from './lanes.ts';
import type { PairedHistory } from './pair.ts';
import type { PerfSeries } from './perf.ts';
import type { ResolvedAnomaly } from './resolve-anomaly.ts';
import { describeOp } from './anomaly-view.ts';

/** An op as the browser sees it: short keys, times in seconds. */
export interface PayloadOp {
  id: number;
  p: number;
  f: string;
  k?: string;
  i: unknown;
  o: unknown;
  s: 'ok' | 'fail' | 'info';
  c: number;
  r: number | null;
  n?: string;
  e?: string;
  /** The op in words, as `tenrec check` spells it: `#12 inc k3 by 1 → 97`. */
  t: string;
}

export interface ReportPayload {
  end: number;
  ops: PayloadOp[];
  lanes: Lane[];
  bands: FaultBand[];
  markers: FaultBand[];
  perf: PerfSeries;
  anomaly: { op: number | null; concurrent: number[]; prefix: number[]; partials?: Record<number, number[]> } | null;
}

const s = (ns: number) => ns / 1e9;
const bandInSeconds = (b: FaultBand): FaultBand => ({ ...b, start: s(b.start), end: b.end === null ? null : s(b.end) });

export function buildPayload(
  paired: PairedHistory,
  lanes: Lane[],
  faults: { bands: FaultBand[]; markers: FaultBand[] },
  perf: PerfSeries,
  anomaly: ResolvedAnomaly | null,
): ReportPayload {
  return {
    end: s(paired.end),
    ops: paired.ops.map((o) => {
      const p: PayloadOp = { id: o.id, p: o.process, f: o.f, i: o.input ?? null, o: o.output ?? null, s: o.outcome, c: s(o.call), r: o.ret === null ? null : s(o.ret), t: describeOp(o) };
      if (o.key !== undefined) p.k = o.key;
      if (o.node !== undefined) p.n = o.node;
      if (o.error !== undefined) p.e = o.error;
      return p;
    }),
    lanes,
    bands: faults.bands.map(bandInSeconds),
    markers: faults.markers.map(bandInSeconds),
    perf,
    anomaly: anomaly
      ? { op: anomaly.op, concurrent: anomaly.concurrent, prefix: anomaly.prefix, ...(anomaly.partials ? { partials: anomaly.partials } : {}) }
      : null,
  };
}
