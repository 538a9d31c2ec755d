/** The registers a workload spreads its ops over: "k0" … "k{n-1}". */
export function keyNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `k${i}`);
}
