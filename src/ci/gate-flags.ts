// The CI flags (`--junit FILE`, `--unknown pass|fail`) as `test`, `check` and `campaign` apply
// them: small helpers so each command's edit stays a few lines.
import type { Validity } from '../../checker/types.ts';
import type { CheckResult, HistoryEvent, Operation } from '../../checker/types.ts';
import { anomalyText } from '../report/anomaly-text.ts';
import { fileCase, runCase, type RunLike } from './cases.ts';
import { writeJUnit } from './junit.ts';
import { gate, parseUnknownPolicy } from './unknown-policy.ts';

/** The exit code for the verdicts under `--unknown`; says why on stderr when unknown decided it. */
export function gateExit(verdicts: Iterable<Validity>, unknownFlag: unknown): number {
  const g = gate(verdicts, parseUnknownPolicy(unknownFlag));
  if (g.note) process.stderr.write(`tenrec: ${g.note}\n`);
  return g.code;
}

/** `check --junit`: one case per history file; a file that could not be read or parsed is an error. */
export function writeCheckJUnit(file: string, outcomes: readonly ({ file: string; error: string } | { file: string; result: CheckResult; ops: Operation[]; events: HistoryEvent[] })[], unknownFlag: unknown): void {
  const cases = outcomes.map((o) => {
    if ('error' in o) return fileCase(o.file, undefined, { error: o.error });
    const text = o.result.anomaly ? anomalyText(o.result.anomaly, o.ops, o.events, o.result.model) : undefined;
    return fileCase(o.file, o.result, text ? { anomalyText: text } : {});
  });
  writeJUnit(file, 'tenrec check', cases, parseUnknownPolicy(unknownFlag));
}

/** `test --junit`: one case for the run (an error case when it could not run). */
export function writeTestJUnit(file: string, run: RunLike, unknownFlag: unknown): void {
  writeJUnit(file, 'tenrec test', [runCase(run, 'tenrec.test')], parseUnknownPolicy(unknownFlag));
}
