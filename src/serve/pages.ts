// The serve UI's pages: the run list and a run's page. Plain server-rendered HTML, every value
// escaped, no scripts.
import type { RunRow } from '../store/index-db.ts';
import { escapeHtml } from '../report/escape.ts';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f3f4f6;color:#1d2430}
header{background:#fff;border-bottom:1px solid #e5e7eb;padding:14px 24px}h1{font-size:18px;margin:0}
main{padding:16px 24px}table{border-collapse:collapse;background:#fff;border:1px solid #e5e7eb}
th,td{padding:5px 10px;border-bottom:1px solid #eee;text-align:left;white-space:nowrap}th{background:#f9fafb;font-weight:600}
.v{font-weight:700;padding:1px 8px;border-radius:4px;color:#fff}.v.valid{background:#2e9e44}.v.invalid{background:#d64545}.v.unknown{background:#8a6d00}
form{margin:0 0 12px;display:flex;gap:8px;align-items:center}a{color:#1a5fd0}.muted{color:#6b7280}code{font:12px ui-monospace,monospace}`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><header><h1><a href="/">tenrec</a> · ${escapeHtml(title)}</h1></header><main>${body}</main></body></html>\n`;
}

const word = (v: RunRow['valid']) => (v === 'true' ? 'valid' : v === 'false' ? 'invalid' : 'unknown');
const badge = (v: RunRow['valid']) => `<span class="v ${word(v)}">${word(v)}</span>`;

export interface ListedRun {
  row: RunRow;
  /** URL path of the run dir under /files/, null when the dir is outside the results root. */
  filesPath: string | null;
}

export function runListPage(runs: readonly ListedRun[], filter: { verdict?: string; bug?: string }): string {
  const opt = (v: string) => `<option value="${v}"${filter.verdict === v ? ' selected' : ''}>${v}</option>`;
  const rows = runs.map(({ row: r, filesPath }) => `<tr>
<td><a href="/runs/${r.id}">${r.id}</a></td><td>${escapeHtml(r.started_at)}</td><td>${badge(r.valid)}</td><td>${escapeHtml(r.name)}</td>
<td>${escapeHtml(r.workload)}</td><td>${escapeHtml(r.faults || '?')}</td><td>${escapeHtml(r.bug ?? '—')}</td><td>${escapeHtml(r.seed)}</td><td>${escapeHtml(r.ops)}</td>
<td>${escapeHtml((r.duration_ms / 1000).toFixed(1))} s</td><td>${escapeHtml(r.campaign_id ?? '—')}</td>
<td>${filesPath !== null ? `<a href="/files/${filesPath}/report.html">report</a> · <a href="/files/${filesPath}/">files</a>` : '<span class="muted">outside results/</span>'}</td></tr>`).join('\n');
  return page('runs', `<form method="get" action="/">verdict <select name="verdict"><option value="">any</option>${opt('valid')}${opt('invalid')}${opt('unknown')}</select>
bug <input name="bug" value="${escapeHtml(filter.bug ?? '')}" size="14"> <button type="submit">filter</button> <span class="muted">${runs.length} run${runs.length === 1 ? '' : 's'}, newest first</span></form>
<table><tr><th>id</th><th>started (UTC)</th><th>verdict</th><th>name</th><th>workload</th><th>faults</th><th>bug</th><th>seed</th><th>ops</th><th>took</th><th>campaign</th><th></th></tr>
${rows || '<tr><td colspan="12" class="muted">no runs yet: <code>npx tenrec test</code> adds one</td></tr>'}</table>`);
}

export function runPage(r: RunRow, filesPath: string | null, files: readonly string[]): string {
  const links = filesPath === null
    ? '<p class="muted">this run\'s directory is outside the results directory; its files are not served</p>'
    : `<ul>${files.map((f) => `<li><a href="/files/${filesPath}/${f.split('/').map(encodeURIComponent).join('/')}">${escapeHtml(f)}</a></li>`).join('')}</ul>`;
  let settings = '';
  try {
    settings = Object.entries(JSON.parse(r.settings_json) as Record<string, unknown>)
      .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(JSON.stringify(v))}</code></td></tr>`).join('');
  } catch { /* an unreadable settings column shows nothing rather than failing the page */ }
  return page(`run ${r.id}`, `<p>${badge(r.valid)} <b>${escapeHtml(r.name)}</b> · started ${escapeHtml(r.started_at)} · ${escapeHtml(r.ops)} ops
${filesPath !== null ? ` · <a href="/files/${filesPath}/report.html">open the report</a>` : ''}</p>
<h2>Files</h2>${links}<h2>Settings</h2><table>${settings}</table>`);
}

export function dirPage(urlPath: string, entries: readonly { name: string; dir: boolean }[]): string {
  const items = entries.map((e) => `<li><a href="${encodeURIComponent(e.name)}${e.dir ? '/' : ''}">${escapeHtml(e.name)}${e.dir ? '/' : ''}</a></li>`).join('');
  return page(`/${decodeURIComponentSafe(urlPath)}`, `<p><a href="../">..</a></p><ul>${items}</ul>`);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function errorPage(status: number, message: string): string {
  return page(`${status}`, `<p>${escapeHtml(message)}</p><p><a href="/">all runs</a></p>`);
}
