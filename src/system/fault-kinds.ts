// The kinds of fault tenrec can inject: the vocabulary the nemesis implements (nemesis/) and
// systems are asked about (capabilities.ts), kept here so the seam depends on nothing above it.
export type FaultKind = 'kill' | 'pause' | 'partition' | 'power-loss' | 'failpoint' | 'fsync' | 'clock' | 'corrupt' | 'membership';
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'pause', 'partition', 'power-loss', 'failpoint', 'fsync', 'clock', 'corrupt', 'membership'];
/** What `--nemesis all` means: the faults every process-based system can take. */
export const ALL_FAULTS: readonly FaultKind[] = ['kill', 'pause', 'partition', 'power-loss'];
