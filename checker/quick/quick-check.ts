// Jepsen's linear-time checkers, for workloads where a full linearizability search is not needed
// or where a plainer account helps: each looks at the history once and reports what it found in
// words. They are sound for what they claim: `valid: false` means the history is wrong.
import type { Operation } from '../types.ts';

/** The ops by key (the default register under ''), in history order. */
export function opsByKey(ops: readonly Operation[]): Map<string, Operation[]> {
  const byKey = new Map<string, Operation[]>();
  for (const o of ops) {
    const k = o.key ?? '';
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(o);
  }
  return byKey;
}

export interface QuickFinding {
  /** What is wrong, in one sentence. */
  message: string;
  /** The op's number (`op #N`) the finding is about, when there is one. */
  op?: number;
}

export interface QuickCheckResult {
  /** `set-full`, `unique-ids`, `counter-bounds`. */
  checker: string;
  valid: boolean;
  /** One line for the run's summary. */
  summary: string;
  findings: QuickFinding[];
}
