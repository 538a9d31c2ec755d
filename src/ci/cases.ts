// JUnit test cases from what tenrec judged: a run (test, campaign) or a history file (check).
import type { CheckResult, Validity } from '../../checker/types.ts';
import type { JUnitCase } from './junit.ts';

function message(valid: Validity, result?: CheckResult): string | undefined {
  if (valid === false) return result?.anomaly ? (result.anomaly.headline ?? result.anomaly.explanation) : 'not linearizable';
  if (valid === 'unknown') return `inconclusive: ${result?.reason ?? 'the check did not decide'}`;
  return undefined;
}

export interface RunLike {
  dir?: string;
  valid: Validity | 'error';
  result?: CheckResult;
  anomalyText?: string;
  durationMs: number;
  error?: string;
  rerun?: string;
  /** Used as the name when the run has no directory (it could not start). */
  label?: string;
}

export function runCase(run: RunLike, classname: string): JUnitCase {
  const msg = run.valid === 'error' ? run.error ?? 'could not run' : message(run.valid, run.result);
  const details = [run.anomalyText ?? msg, run.dir ? `report: ${run.dir}/report.html` : undefined, run.rerun ? `rerun: ${run.rerun}` : undefined]
    .filter((x): x is string => !!x)
    .join('\n');
  return {
    name: run.dir ?? run.label ?? 'run',
    classname,
    seconds: run.durationMs / 1000,
    verdict: run.valid,
    ...(msg ? { message: msg } : {}),
    ...(run.valid !== true && details ? { details } : {}),
  };
}

export function fileCase(file: string, result: CheckResult | undefined, opts: { error?: string; anomalyText?: string } = {}): JUnitCase {
  if (!result) return { name: file, classname: 'tenrec.check', seconds: 0, verdict: 'error', message: opts.error ?? 'could not check' };
  const msg = message(result.valid, result);
  return {
    name: file,
    classname: 'tenrec.check',
    seconds: result.ms / 1000,
    verdict: result.valid,
    ...(msg ? { message: msg } : {}),
    ...(opts.anomalyText && result.valid === false ? { details: opts.anomalyText } : {}),
  };
}
