// What `tenrec show` says about a run or a history file, as data (`--json`) and as text.
import { anomalyText } from './anomaly-text.ts';
import { recoverySummary, windowsSummary, type Recovery, type Window } from '../runner/recovery.ts';
import type { Validity } from '../../checker/types.ts';
import { faultBands } from './bands.ts';
import type { LoadedRun } from './load-run.ts';
import { pairHistory } from './pair.ts';
import { countOps, latencySummary, okLatenciesMs } from './stats.ts';
import type { LatencySummary, OpCounts } from './stats.ts';
import { verdictReason, verdictWord } from './summary-view.ts';
import { textTable } from './text-table.ts';

export interface RunSummary {
  kind: 'run' | 'file';
  path: string;
  verdict: 'valid' | 'invalid' | 'unknown';
  valid: Validity;
  /** Why, in one sentence (the anomaly, or what stopped the check). */
  why: string;
  model: string;
  opsChecked: number;
  keys: number;
  checkMs: number;
  settings?: Record<string, unknown>;
  counts: OpCounts;
  total: { ok: number; fail: number; info: number; all: number };
  /** ok ops, milliseconds. */
  latency: LatencySummary;
  /** Seconds since the start of the test; end null when never healed. */
  faults: { kind: string; target: string; start: number; end: number | null }[];
  anomaly?: { key: string | null; explanation: string; state: string; proof?: 'stale'; text?: string };
  /** After each healed fault, how long until an op succeeded (results.json of a run). */
  recovery?: string;
  /** Stretches with no ok op, in words. */
  unavailable?: string;
  /** Jepsen's linear-time checkers of a run, as stored in results.json. */
  quick?: { checker: string; valid: boolean; summary: string }[];
  rerun?: string;
  report?: string;
}

const SETTINGS_SHOWN = ['workload', 'nodes', 'concurrency', 'rate', 'keys', 'timeLimit', 'nemesis', 'seed', 'bug'];

export function summarizeRun(run: LoadedRun): RunSummary {
  const paired = pairHistory(run.history);
  const counts = countOps(paired.ops);
  const total = { ok: 0, fail: 0, info: 0, all: 0 };
  for (const c of Object.values(counts)) {
    total.ok += c.ok; total.fail += c.fail; total.info += c.info;
  }
  total.all = total.ok + total.fail + total.info;
  const r = run.result;
  const a = r.anomaly;
  const storedText = typeof run.results?.anomalyText === 'string' ? run.results.anomalyText : undefined;
  const text = storedText ?? (a && run.operations ? anomalyText(a, run.operations, run.history, r.model) : undefined);
  // A run's own verdict (results.json) also counts the quick checks and the faults it lacked.
  const stored = run.results?.valid;
  const valid: Validity = stored === true || stored === false || stored === 'unknown' ? stored : r.valid;
  const quick = Array.isArray(run.results?.quick) ? (run.results.quick as { checker: string; valid: boolean; summary: string }[]).map(({ checker, valid: v, summary }) => ({ checker, valid: v, summary })) : undefined;
  const failedQuick = quick?.find((q) => !q.valid);
  const liveness = typeof run.results?.livenessProblem === 'string' ? run.results.livenessProblem : undefined;
  const why = valid === false && r.valid !== false && liveness
    ? `liveness: ${liveness}`
    : valid === false && r.valid !== false && failedQuick
    ? `${failedQuick.checker} failed: ${failedQuick.summary}`
    : valid === 'unknown' && r.valid === true && typeof run.results?.faultsNote === 'string'
      ? `unknown: ${run.results.faultsNote}`
      : verdictReason(r);
  const settings = run.test ? Object.fromEntries(SETTINGS_SHOWN.filter((k) => run.test![k] !== undefined).map((k) => [k, run.test![k]])) : undefined;
  return {
    kind: run.kind,
    path: run.path,
    verdict: verdictWord(valid),
    valid,
    why,
    model: r.model,
    opsChecked: r.ops,
    keys: r.partitions,
    checkMs: r.ms,
    ...(settings ? { settings } : {}),
    counts,
    total,
    latency: latencySummary(okLatenciesMs(paired.ops)),
    faults: faultBands(paired.faults).bands.map((b) => ({ kind: b.kind, target: b.target, start: b.start / 1e9, end: b.end === null ? null : b.end / 1e9 })),
    ...(a ? { anomaly: { key: a.key, explanation: a.explanation, state: a.state, ...(a.proof ? { proof: a.proof } : {}), ...(text ? { text } : {}) } } : {}),
    ...(quick ? { quick } : {}),
    ...(Array.isArray(run.results?.recovery) && run.results.recovery.length ? { recovery: recoverySummary(run.results.recovery as Recovery[]) } : {}),
    ...(Array.isArray(run.results?.unavailable) ? { unavailable: windowsSummary(run.results.unavailable as Window[]) } : {}),
    ...(typeof run.test?.rerun === 'string' ? { rerun: run.test.rerun } : {}),
    ...(run.kind === 'run' ? { report: `${run.path}/report.html` } : {}),
  };
}

const ms = (v: number) => (Number.isNaN(v) ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const sec = (v: number | null) => (v === null ? 'end' : `${v.toFixed(2)} s`);

/** The terminal rendering; `color` adds ANSI colour to the verdict. */
export function summaryText(s: RunSummary, color = false): string {
  const paint = (code: number, t: string) => (color ? `\x1b[1;${code}m${t}\x1b[0m` : t);
  const verdict = paint(s.verdict === 'valid' ? 32 : s.verdict === 'invalid' ? 31 : 33, s.verdict.toUpperCase());
  const out: string[] = [];
  out.push(`${s.kind === 'run' ? 'run' : 'history'}  ${s.path}`);
  out.push(`verdict   ${verdict}  (model ${s.model}, ${s.opsChecked} ops checked over ${s.keys} key${s.keys === 1 ? '' : 's'} in ${ms(s.checkMs)})`);
  if (!s.anomaly?.text) out.push(`          ${s.why}`);
  if (s.settings) out.push(`settings  ${Object.entries(s.settings).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') || 'none' : String(v)}`).join(' · ')}`);
  out.push('');
  const rows = Object.entries(s.counts).sort(([a], [b]) => a.localeCompare(b)).map(([f, c]) => [f, String(c.ok), String(c.fail), String(c.info), String(c.ok + c.fail + c.info)]);
  rows.push(['all', String(s.total.ok), String(s.total.fail), String(s.total.info), String(s.total.all)]);
  out.push(textTable(['ops', 'ok', 'fail', 'info', 'all'], rows, new Set([1, 2, 3, 4])).replace(/^/gm, '  '));
  out.push('');
  out.push(`latency   p50 ${ms(s.latency.p50)} · p95 ${ms(s.latency.p95)} · p99 ${ms(s.latency.p99)} · max ${ms(s.latency.max)}  (${s.latency.count} ok ops)`);
  if (s.faults.length === 0) out.push('faults    none');
  else {
    out.push(`faults    ${s.faults.length}`);
    for (const f of s.faults) out.push(`          ${f.kind} ${f.target}`.padEnd(44) + ` ${sec(f.start)} – ${sec(f.end)}`);
  }
  if (s.recovery) out.push(`recovery  ${s.recovery}`);
  if (s.unavailable) out.push(`unavailable ${s.unavailable}`);
  for (const q of s.quick ?? []) out.push(`${q.checker.padEnd(10)}${q.valid ? 'ok' : 'FAILED'}, ${q.summary}`);
  if (s.anomaly) {
    out.push('');
    out.push(s.anomaly.text ?? `NOT LINEARIZABLE${s.anomaly.key === null ? '' : ` (key ${s.anomaly.key})`}\n\n${s.anomaly.explanation}${s.anomaly.proof ? '' : `\nstate after the longest linearizable prefix: ${s.anomaly.state}`}`);
  }
  if (s.report || s.rerun) out.push('');
  if (s.report) out.push(`report    ${s.report}`);
  if (s.rerun) out.push(`rerun     ${s.rerun}`);
  return out.join('\n') + '\n';
}
