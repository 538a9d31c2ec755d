// The self-contained HTML report of one history and its verdict (report.html of a run,
// `tenrec check --html`). No network: styles, scripts and data are inline.
import type { CheckResult, HistoryEvent, Operation } from '../../checker/types.ts';
import { escapeHtml, showValue } from './escape.ts';
import { pairHistory } from './pair.ts';

export interface ReportInput {
  history: HistoryEvent[];
  result: CheckResult;
  /** The run's settings (test.json), shown as a table and used for client grouping. */
  test?: Record<string, unknown>;
  title?: string;
  /** The checker's operations (toOperations), so the anomaly's op ids can be resolved. */
  operations?: Operation[];
}

function verdictWord(v: CheckResult['valid']): string {
  return v === true ? 'valid' : v === false ? 'invalid' : 'unknown';
}

export function renderReport(input: ReportInput): string {
  const { history, result } = input;
  const title = input.title ?? 'tenrec report';
  const paired = pairHistory(history);
  const verdict = verdictWord(result.valid);
  const settings = Object.entries(input.test ?? {})
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(showValue(v))}</td></tr>`)
    .join('');
  const a = result.anomaly;
  const anomaly = a
    ? `<section id="anomaly"><h2>Anomaly</h2><p>${escapeHtml(a.explanation)}</p>
<p>Key ${escapeHtml(showValue(a.key))}; op ${escapeHtml(a.op.f)} ${escapeHtml(showValue(a.op.input))} → ${escapeHtml(showValue(a.op.output))}; state after the longest linearizable prefix: ${escapeHtml(a.state)}</p></section>`
    : '';
  const rows = paired.ops
    .map(
      (o) =>
        `<tr class="${o.outcome}"><td>${o.process}</td><td>${escapeHtml(o.f)}</td><td>${escapeHtml(o.key ?? '')}</td><td>${escapeHtml(showValue(o.input))}</td><td>${escapeHtml(o.outcome)}</td><td>${escapeHtml(showValue(o.output))}</td><td>${(o.call / 1e9).toFixed(3)}</td><td>${o.ret === null ? '' : ((o.ret - o.call) / 1e6).toFixed(2)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:1.5em}.verdict-valid{color:#176b2c}.verdict-invalid{color:#b00020}.verdict-unknown{color:#8a6d00}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}tr.fail{background:#fde8e8}tr.info{background:#fff6d6}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p class="verdict-${verdict}"><strong>${verdict.toUpperCase()}</strong> (model ${escapeHtml(result.model)}, ${result.ops} ops, ${result.partitions} keys, checked in ${result.ms} ms${result.reason ? `, ${escapeHtml(result.reason)}` : ''})</p>
${settings ? `<table>${settings}</table>` : ''}
${anomaly}
<h2>Operations</h2><table><tr><th>process</th><th>f</th><th>key</th><th>input</th><th>outcome</th><th>output</th><th>call (s)</th><th>latency (ms)</th></tr>
${rows}</table></body></html>
`;
}
