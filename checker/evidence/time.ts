// Times in histories are nanoseconds since the test started; people read seconds.
export function formatTime(ns: number): string {
  if (!Number.isFinite(ns)) return 'never';
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns} ns`;
}
