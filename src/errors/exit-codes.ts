// Exit codes are a public contract (docs/cli.md): scripts and CI gate on them.
export const EXIT_VALID = 0;
export const EXIT_INVALID = 1;
export const EXIT_UNKNOWN = 2;
export const EXIT_ERROR = 3;

import type { Validity } from '../../checker/types.ts';

/** The exit code for a set of verdicts: any invalid wins, then any unknown. */
export function exitCodeFor(verdicts: Iterable<Validity>): number {
  let code = EXIT_VALID;
  for (const v of verdicts) {
    if (v === false) return EXIT_INVALID;
    if (v === 'unknown') code = EXIT_UNKNOWN;
  }
  return code;
}
