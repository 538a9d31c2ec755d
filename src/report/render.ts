// The self-contained HTML report of one history and its verdict (report.html of a run,
// `tenrec check --html`). No network: styles, scripts and data are inline, and a
// Content-Security-Policy allows only the page's own script.
import type { CheckResult, HistoryEvent, Operation } from '../../checker/types.ts';
import type { QuickCheckResult } from '../../checker/quick/quick-check.ts';
import { toOperations } from '../../checker/history/operations.ts';
import { renderAnomaly } from './anomaly-view.ts';
import { anomalyLead } from './anomaly-text.ts';
import { reportAssets } from './assets.ts';
import { faultBands } from './bands.ts';
import { escapeHtml, jsonForScript } from './escape.ts';
import { timelineLanes } from './lanes.ts';
import { pairHistory } from './pair.ts';
import { buildPayload } from './payload.ts';
import { perfSeries } from './perf.ts';
import { resolveAnomaly } from './resolve-anomaly.ts';
import { renderSummary, renderVerdict } from './summary-view.ts';

export interface ReportInput {
  history: HistoryEvent[];
  result: CheckResult;
  /** The run's settings (test.json), shown as a table; `concurrency` groups processes by client. */
  test?: Record<string, unknown>;
  title?: string;
  /** The checker's operations (toOperations), so the anomaly's op ids resolve exactly. */
  operations?: Operation[];
  /** Jepsen's linear-time checkers run beside the search. */
  quick?: QuickCheckResult[];
  /** After each healed fault, how long until an op succeeded, in words. */
  recovery?: string;
}

/** The checker's own pairing, so anomaly ids resolve exactly; undefined if the history does not parse. */
function checkerOps(history: HistoryEvent[], model: string): Operation[] | undefined {
  try {
    return toOperations(history, { model });
  } catch {
    try {
      return toOperations(history);
    } catch {
      return undefined;
    }
  }
}

export function renderReport(input: ReportInput): string {
  const { history, result } = input;
  const title = input.title ?? 'tenrec report';
  const paired = pairHistory(history);
  const concurrency = typeof input.test?.concurrency === 'number' ? input.test.concurrency : undefined;
  const lanes = timelineLanes(paired.ops, concurrency);
  const faults = faultBands(paired.faults);
  const resolved = result.anomaly ? resolveAnomaly(result.anomaly, paired.ops, input.operations ?? checkerOps(history, result.model)) : null;
  const payload = buildPayload(paired, lanes, faults, perfSeries(paired.ops, paired.end), resolved);
  const keys = [...new Set(paired.ops.map((o) => o.key).filter((k): k is string => k !== undefined))].sort();
  const { css, script, scriptHash } = reportAssets();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '${scriptHash}'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style></head>
<body>
${renderVerdict(result, title)}
<main>
${renderSummary(result, input.test, paired.ops, faults.bands, input.quick, input.recovery)}
${resolved ? renderAnomaly(paired.ops, resolved, anomalyLead(resolved.anomaly, faults.bands)) : ''}
<section class="card" id="timeline"><h2>Timeline</h2>
<div class="toolbar"><button id="zoom-in" type="button">zoom in</button><button id="zoom-out" type="button">zoom out</button><button id="zoom-reset" type="button">reset</button>
<label><input type="checkbox" id="compact"> one row per client</label>
<label>key <select id="key-filter"><option value="">all keys</option>${keys.map((k) => `<option value="${escapeHtml(k)}">${escapeHtml(k)}</option>`).join('')}</select></label>
<span class="muted" id="timeline-view"></span></div>
<div class="legend"><span class="sw ok"></span>ok <span class="sw fail"></span>fail <span class="sw info"></span>info (unknown outcome) <span class="sw kill"></span>kill <span class="sw pause"></span>pause <span class="sw partition"></span>partition <span class="sw power-loss"></span>power loss <span class="sw failpoint"></span>failpoint <span class="sw fsync"></span>fsync errors <span class="sw clock"></span>clock <span class="sw corrupt"></span>disk corruption <span class="sw membership"></span>add/remove member (dashed lines) · wheel to zoom, drag to pan, double-click to reset, hover for details</div>
<div id="timeline-wrap"><canvas id="timeline-canvas"></canvas></div></section>
<section class="card" id="plots"><h2>Performance</h2>
<div class="plot"><h3>Latency over time <span class="muted">(log scale; lines are p50, p95, p99 of ok ops)</span></h3>
<div class="legend"><span class="sw ok"></span>ok <span class="sw fail"></span>fail <span class="sw info"></span>info · <b>—</b> p50 <b style="color:#1a5fd0">- -</b> p95 <b style="color:#8e24aa">···</b> p99 · click to show that moment on the timeline</div>
<canvas id="latency-canvas"></canvas></div>
<div class="plot"><h3>Throughput over time <span class="muted">(completions per second, bucket ${escapeHtml(String(payload.perf.bucket))} s)</span></h3>
<div class="legend"><span class="sw ok"></span>ok <span class="sw fail"></span>fail <span class="sw info"></span>info</div>
<canvas id="throughput-canvas"></canvas></div></section>
</main>
<div id="tooltip" hidden></div>
<script type="application/json" id="report-data">${jsonForScript(payload)}</script>
<script>${script}</script>
</body></html>
`;
}
