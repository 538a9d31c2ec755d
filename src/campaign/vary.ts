// `--vary nemesis,workload,nodes`: each run of a campaign takes the next combination of the varied
// settings (mixed-radix over the run number), so a short campaign still covers every value of the
// first dimension and long ones cover every combination.
import { WORKLOAD_NAMES, type WorkloadName } from '../../workloads/index.ts';
import type { FaultKind } from '../../nemesis/fault.ts';
import type { TestSettings } from '../runner/settings.ts';
import { UserError } from '../errors/user-error.ts';

export type VaryDimension = 'nemesis' | 'workload' | 'nodes';
export const VARY_DIMENSIONS: readonly VaryDimension[] = ['nemesis', 'workload', 'nodes'];

/** The values each dimension rotates through. */
export const VARY_VALUES: { nemesis: FaultKind[][]; workload: WorkloadName[]; nodes: number[] } = {
  nemesis: [['kill'], ['partition'], ['pause'], ['kill', 'partition'], ['power-loss'], ['kill', 'pause', 'partition']],
  workload: [...WORKLOAD_NAMES],
  nodes: [3, 5],
};

export function parseVary(spec: string | readonly string[] | undefined): VaryDimension[] {
  if (spec === undefined) return [];
  const parts = (Array.isArray(spec) ? spec : [spec]).flatMap((s: string) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const p of parts) {
    if (!(VARY_DIMENSIONS as readonly string[]).includes(p)) {
      throw new UserError(`--vary takes ${VARY_DIMENSIONS.join(', ')} (comma-separated), not ${JSON.stringify(p)}`);
    }
  }
  return [...new Set(parts)] as VaryDimension[];
}

/** The settings run `i` (0-based) overrides. */
export function variation(dims: readonly VaryDimension[], i: number): Partial<TestSettings> {
  const out: Partial<TestSettings> = {};
  let rest = i;
  for (const d of dims) {
    const values = VARY_VALUES[d];
    const pick = rest % values.length;
    rest = Math.floor(rest / values.length);
    if (d === 'nemesis') out.nemesis = VARY_VALUES.nemesis[pick]!;
    else if (d === 'workload') out.workload = VARY_VALUES.workload[pick]!;
    else out.nodes = VARY_VALUES.nodes[pick]!;
  }
  return out;
}
