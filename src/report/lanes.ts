// Timeline lanes: one per process, grouped under the logical client it served. A process that got
// an `info` never invokes again and the runner gives its client a fresh process number, so a
// client's successive processes sit together.
import type { ReportOp } from './pair.ts';

export interface Lane {
  client: number;
  process: number;
}

/**
 * The client of each process: the `client` field when the runner wrote one, else
 * `process mod concurrency` when the settings give the concurrency, else the process itself.
 */
export function timelineLanes(ops: readonly ReportOp[], concurrency?: number): Lane[] {
  const first = new Map<number, { lane: Lane; at: number }>();
  for (const o of ops) {
    if (first.has(o.process)) continue;
    const client = o.client ?? (concurrency && concurrency > 0 ? o.process % concurrency : o.process);
    first.set(o.process, { lane: { client, process: o.process }, at: o.call });
  }
  return [...first.values()].sort((a, b) => a.lane.client - b.lane.client || a.at - b.at || a.lane.process - b.lane.process).map((x) => x.lane);
}
