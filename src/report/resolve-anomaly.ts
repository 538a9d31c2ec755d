// Maps the checker's anomaly (which names checker op ids) onto the report's ops (which keep
// `fail` ops too) through the invoke's position in the history.
import type { Anomaly, Operation } from '../../checker/types.ts';
import type { ReportOp } from './pair.ts';

export interface ResolvedAnomaly {
  anomaly: Anomaly;
  /** Report op ids. */
  op: number | null;
  prefix: number[];
  concurrent: number[];
  /** The op that had returned before `op` began and makes it stale, when the checker named one. */
  after?: number;
  /** Per report op: the longest partial linearization containing it (report ids), when the checker kept them. */
  partials?: Record<number, number[]>;
}

/**
 * Checker ids → invoke positions. With the checker's operations at hand this is exact; without,
 * ids are dense in invoke order over the ops the checker kept. Whether `fail` ops took an id is
 * decided by which reading agrees with the anomaly op's own `invokeIndex`.
 */
function idToInvokeIndex(anomaly: Anomaly, ops: readonly ReportOp[], operations?: readonly Operation[]): Map<number, number> {
  const map = new Map<number, number>();
  if (operations) {
    for (const o of operations) map.set(o.id, o.invokeIndex);
    return map;
  }
  const withoutFails = ops.filter((o) => o.outcome !== 'fail');
  const candidates = [withoutFails, ops];
  const chosen = candidates.find((c) => c[anomaly.op.id]?.invokeIndex === anomaly.op.invokeIndex) ?? withoutFails;
  chosen.forEach((o, id) => map.set(id, o.invokeIndex));
  return map;
}

export function resolveAnomaly(anomaly: Anomaly, ops: readonly ReportOp[], operations?: readonly Operation[]): ResolvedAnomaly {
  const byInvoke = new Map<number, number>();
  for (const o of ops) byInvoke.set(o.invokeIndex, o.id);
  const ids = idToInvokeIndex(anomaly, ops, operations);
  const toReport = (checkerId: number): number | undefined => {
    const inv = ids.get(checkerId);
    return inv === undefined ? undefined : byInvoke.get(inv);
  };
  const list = (xs: readonly number[]) => xs.map(toReport).filter((x): x is number => x !== undefined);
  const out: ResolvedAnomaly = {
    anomaly,
    op: byInvoke.get(anomaly.op.invokeIndex) ?? null,
    prefix: list(anomaly.prefix),
    concurrent: list(anomaly.concurrent),
  };
  const after = anomaly.after === undefined ? undefined : toReport(anomaly.after);
  if (after !== undefined) out.after = after;
  if (anomaly.partialLinearizations) {
    const partials: Record<number, number[]> = {};
    for (const [id, order] of Object.entries(anomaly.partialLinearizations)) {
      const own = toReport(Number(id));
      if (own !== undefined) partials[own] = list(order);
    }
    out.partials = partials;
  }
  return out;
}
