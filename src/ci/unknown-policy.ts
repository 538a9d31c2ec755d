// What an inconclusive check (a time or memory limit hit before deciding) does to the exit code.
// The default is to fail: a history nobody managed to check proves nothing, and a CI gate that
// turns green on it would hide exactly the runs that were too hard to judge.
import type { Validity } from '../../checker/types.ts';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../errors/exit-codes.ts';
import { UserError } from '../errors/user-error.ts';

export type UnknownPolicy = 'pass' | 'fail';
export const UNKNOWN_POLICIES: readonly UnknownPolicy[] = ['pass', 'fail'];
export const DEFAULT_UNKNOWN_POLICY: UnknownPolicy = 'fail';

/** The yargs option shared by `test`, `check` and `campaign`. */
export const unknownOption = {
  choices: UNKNOWN_POLICIES,
  default: DEFAULT_UNKNOWN_POLICY,
  describe: 'what an inconclusive check does to the exit code: fail (exit 2, the default: an unchecked history proves nothing) or pass (exit 0)',
  type: 'string',
} as const;

export function parseUnknownPolicy(text: unknown): UnknownPolicy {
  if (text === undefined || text === null) return DEFAULT_UNKNOWN_POLICY;
  if (text === 'pass' || text === 'fail') return text;
  throw new UserError(`--unknown takes pass or fail, not ${JSON.stringify(text)}`);
}

export interface Gate {
  code: number;
  /** Says why when an unknown verdict decided the code (or was let through); undefined otherwise. */
  note?: string;
}

/** The exit code for a set of verdicts: any invalid → 1; else any unknown → 2 (fail) or 0 (pass). */
export function gate(verdicts: Iterable<Validity>, policy: UnknownPolicy = DEFAULT_UNKNOWN_POLICY): Gate {
  let unknown = 0;
  let invalid = 0;
  for (const v of verdicts) {
    if (v === false) invalid++;
    else if (v === 'unknown') unknown++;
  }
  if (invalid > 0) return { code: EXIT_INVALID };
  if (unknown === 0) return { code: EXIT_VALID };
  const what = `${unknown} check${unknown === 1 ? ' was' : 's were'} inconclusive (a time or memory limit was hit before deciding)`;
  if (policy === 'pass') return { code: EXIT_VALID, note: `${what}; passing because of --unknown pass` };
  return {
    code: EXIT_UNKNOWN,
    note: `${what}; exit 2 because --unknown fail is the default: an unchecked history proves nothing (raise the check's time limit, or pass --unknown pass to accept)`,
  };
}
