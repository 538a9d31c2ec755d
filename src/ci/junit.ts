// JUnit XML for CI systems (GitHub, GitLab, Jenkins all display it): one test case per run or per
// history file. Invalid runs are failures; inconclusive ones are failures or skips by --unknown.
import fs from 'node:fs';
import path from 'node:path';
import type { Validity } from '../../checker/types.ts';
import type { UnknownPolicy } from './unknown-policy.ts';

export interface JUnitCase {
  /** The run directory or the history file. */
  name: string;
  /** Groups cases in the CI's view: `tenrec.test`, `tenrec.check`, `tenrec.campaign.<id>`. */
  classname: string;
  seconds: number;
  /** 'error' when the run or the check could not happen at all. */
  verdict: Validity | 'error';
  /** One line: the anomaly in words, the reason for unknown, the error. */
  message?: string;
  /** Longer text shown under the failure: the explanation, a rerun command, the report's path. */
  details?: string;
}

// XML 1.0 forbids most control characters even when escaped; drop them.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: unknown): string {
  return String(text)
    .replace(INVALID_XML, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function caseXml(c: JUnitCase, policy: UnknownPolicy): string {
  const open = `<testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="${c.seconds.toFixed(3)}"`;
  const body = (tag: string, type: string, fallback: string) =>
    `<${tag} type="${type}" message="${escapeXml(c.message ?? fallback)}">${escapeXml(c.details ?? c.message ?? fallback)}</${tag}>`;
  if (c.verdict === true) return `${open}/>`;
  if (c.verdict === false) return `${open}>${body('failure', 'invalid', 'not linearizable')}</testcase>`;
  if (c.verdict === 'error') return `${open}>${body('error', 'error', 'could not run')}</testcase>`;
  if (policy === 'pass') return `${open}><skipped message="${escapeXml(c.message ?? 'inconclusive')} (passed by --unknown pass)"/></testcase>`;
  return `${open}>${body('failure', 'unknown', 'inconclusive: the check hit a limit before deciding (--unknown fail)')}</testcase>`;
}

export function junitXml(suite: string, cases: readonly JUnitCase[], policy: UnknownPolicy): string {
  const failures = cases.filter((c) => c.verdict === false || (c.verdict === 'unknown' && policy === 'fail')).length;
  const errors = cases.filter((c) => c.verdict === 'error').length;
  const skipped = cases.filter((c) => c.verdict === 'unknown' && policy === 'pass').length;
  const time = cases.reduce((s, c) => s + c.seconds, 0).toFixed(3);
  const attrs = `name="${escapeXml(suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites ${attrs}>
<testsuite ${attrs} timestamp="${new Date().toISOString().replace(/\.\d+Z$/, '')}">
${cases.map((c) => caseXml(c, policy)).join('\n')}
</testsuite>
</testsuites>
`;
}

/** Writes the XML, creating the file's folder. */
export function writeJUnit(file: string, suite: string, cases: readonly JUnitCase[], policy: UnknownPolicy): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, junitXml(suite, cases, policy));
}

/** The yargs option shared by `test`, `check` and `campaign`. */
export const junitOption = {
  type: 'string',
  describe: 'also write a JUnit XML report to FILE (one test case per run, or per history file)',
  requiresArg: true,
} as const;
