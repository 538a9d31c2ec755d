// The faults a run actually had, in one spelling for every place that shows them (the test's last
// lines, the campaign table, `runs`, `serve`): "kill×2 partition×3", or "none".
export type FaultCounts = Readonly<Record<string, number>>;

export function faultSummary(faults: FaultCounts): string {
  const parts = Object.entries(faults)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}×${n}`);
  return parts.length ? parts.join(' ') : 'none';
}
