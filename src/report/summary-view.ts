// The top of the report: verdict first, then the settings, the counts and the latencies.
import type { QuickCheckResult } from '../../checker/quick/quick-check.ts';
import type { CheckResult } from '../../checker/types.ts';
import type { FaultBand } from './bands.ts';
import { escapeHtml, showValue } from './escape.ts';
import type { ReportOp } from './pair.ts';
import { countOps, latencySummary, okLatenciesMs } from './stats.ts';

export function verdictWord(v: CheckResult['valid']): 'valid' | 'invalid' | 'unknown' {
  return v === true ? 'valid' : v === false ? 'invalid' : 'unknown';
}

/** One sentence under the verdict saying why. */
export function verdictReason(result: CheckResult): string {
  if (result.valid === true) return `Every one of the ${result.ops} ops fits a single-copy order (${result.partitions} key${result.partitions === 1 ? '' : 's'}).`;
  if (result.valid === false) return result.anomaly ? (result.anomaly.headline ?? result.anomaly.explanation) : 'Some key has no linearization.';
  const why = result.reason === 'timeout' ? 'the check hit its time limit' : result.reason === 'memory' ? 'the check hit its memory limit' : result.reason === 'cancelled' ? 'the check was cancelled' : 'the check did not finish';
  return `Inconclusive: ${why} before deciding; nothing invalid was found in what was checked.`;
}

const ms = (v: number) => (Number.isNaN(v) ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

export function renderVerdict(result: CheckResult, title: string): string {
  const word = verdictWord(result.valid);
  return `<header class="top"><h1>${escapeHtml(title)}</h1>
<div class="verdict-line"><span class="verdict ${word}" id="verdict">${word.toUpperCase()}</span>
<span class="verdict-why">${escapeHtml(verdictReason(result))}</span>
${result.anomaly ? '<a href="#anomaly">see the anomaly ↓</a>' : ''}</div></header>`;
}

export function renderSummary(result: CheckResult, test: Record<string, unknown> | undefined, ops: readonly ReportOp[], bands: readonly FaultBand[], quick: readonly QuickCheckResult[] = [], recovery?: string): string {
  const settings = Object.entries(test ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(showValue(v))}</code></td></tr>`)
    .join('');
  const counts = countOps(ops);
  const total = { ok: 0, fail: 0, info: 0 };
  const countRows = Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([f, c]) => {
      total.ok += c.ok; total.fail += c.fail; total.info += c.info;
      return `<tr><td>${escapeHtml(f)}</td><td class="ok">${c.ok}</td><td class="fail">${c.fail}</td><td class="info">${c.info}</td><td>${c.ok + c.fail + c.info}</td></tr>`;
    })
    .join('');
  const lat = latencySummary(okLatenciesMs(ops));
  const faultKinds = new Map<string, number>();
  for (const b of bands) faultKinds.set(b.kind, (faultKinds.get(b.kind) ?? 0) + 1);
  const parts = result.parts.filter((p) => p.valid !== true).slice(0, 20);
  return `<section class="card" id="summary"><div class="grid">
<div><h2>Check</h2><table class="kv">
<tr><th>model</th><td>${escapeHtml(result.model)}</td></tr>
<tr><th>ops checked</th><td>${result.ops}</td></tr>
<tr><th>keys</th><td>${result.partitions}</td></tr>
<tr><th>check time</th><td>${ms(result.ms)}</td></tr>
${result.reason ? `<tr><th>stopped by</th><td>${escapeHtml(result.limit ?? result.reason)}</td></tr>` : ''}
${recovery ? `<tr><th>recovery after faults</th><td>${escapeHtml(recovery)}</td></tr>` : ''}
${quick.map((q) => `<tr><th>${escapeHtml(q.checker)}</th><td>${q.valid ? 'ok' : '<strong>FAILED</strong>'}, ${escapeHtml(q.summary)}${q.findings.slice(0, 3).map((f) => `<br><span class="muted">${escapeHtml(f.message)}</span>`).join('')}</td></tr>`).join('')}
${parts.map((p) => `<tr><th>key ${escapeHtml(p.key ?? '(default)')}</th><td>${escapeHtml(verdictWord(p.valid))}${p.reason ? ` (${escapeHtml(p.reason)})` : ''}, ${p.ops} ops</td></tr>`).join('')}
</table></div>
<div><h2>Operations</h2><table class="counts"><tr><th>f</th><th>ok</th><th>fail</th><th>info</th><th>all</th></tr>${countRows}
<tr><th>all</th><td class="ok">${total.ok}</td><td class="fail">${total.fail}</td><td class="info">${total.info}</td><td>${total.ok + total.fail + total.info}</td></tr></table>
<h2 style="margin-top:12px">Latency (ok ops)</h2><table class="kv"><tr><th>p50</th><td>${ms(lat.p50)}</td><th>p95</th><td>${ms(lat.p95)}</td><th>p99</th><td>${ms(lat.p99)}</td><th>max</th><td>${ms(lat.max)}</td></tr></table>
<h2 style="margin-top:12px">Faults</h2><p>${faultKinds.size ? [...faultKinds].map(([k, n]) => `${escapeHtml(k)} × ${n}`).join(', ') : '<span class="muted">none</span>'}</p></div>
${settings ? `<div><h2>Settings</h2><table class="kv">${settings}</table></div>` : ''}
</div></section>`;
}
