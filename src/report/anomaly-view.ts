// The anomaly section, Porcupine-style: what could not be placed, after which linearizable
// prefix, what state it expected vs what it saw, which ops overlapped it, and a close-up diagram
// of those ops with their linearization order. Server-rendered: every value goes through escapeHtml.
import { escapeHtml, showValue } from './escape.ts';
import type { ReportOp } from './pair.ts';
import type { ResolvedAnomaly } from './resolve-anomaly.ts';

const PREFIX_SHOWN = 12;
const LIST_SHOWN = 40;

const sec = (ns: number | null) => (ns === null ? '∞' : `${(ns / 1e9).toFixed(3)} s`);

export function describeOp(o: ReportOp): string {
  const key = o.key !== undefined ? ` ${o.key}` : '';
  const out = o.outcome === 'info' ? '?' : showValue(o.output);
  return `p${o.process} ${o.f}${key} ${showValue(o.input)} → ${o.outcome} ${out}`;
}

function opItem(o: ReportOp, extra = ''): string {
  return `<li><a href="#timeline" class="op-link" data-op="${o.id}">${escapeHtml(describeOp(o))}</a> <span class="muted">[${escapeHtml(sec(o.call))} – ${escapeHtml(sec(o.ret))}${o.node ? `, ${escapeHtml(o.node)}` : ''}]</span>${extra}</li>`;
}

/** The close-up: the end of the prefix, the concurrent ops and the culprit, one row per process. */
function closeUp(ops: readonly ReportOp[], r: ResolvedAnomaly): string {
  const order = new Map<number, number>();
  r.prefix.forEach((id, i) => order.set(id, i + 1));
  const ids = new Set<number>([...r.prefix.slice(-PREFIX_SHOWN), ...r.concurrent]);
  if (r.op !== null) ids.add(r.op);
  const shown = [...ids].map((id) => ops[id]!).filter(Boolean).sort((a, b) => a.call - b.call);
  if (shown.length === 0) return '';
  const t0 = Math.min(...shown.map((o) => o.call));
  const t1 = Math.max(...shown.map((o) => o.ret ?? o.call), t0 + 1);
  const procs = [...new Set(shown.map((o) => o.process))];
  const W = 900, left = 60, rowH = 34, top = 22;
  const H = top + procs.length * rowH + 24;
  const x = (t: number) => left + ((t - t0) / (t1 - t0)) * (W - left - 20);
  const parts: string[] = [];
  procs.forEach((p, i) => {
    parts.push(`<text x="4" y="${top + i * rowH + 20}" class="lane-label">p${p}</text>`);
  });
  for (const o of shown) {
    const row = procs.indexOf(o.process);
    const y = top + row * rowH + 6;
    const x0 = x(o.call);
    const open = o.ret === null;
    const x1 = open ? W - 20 : Math.max(x(o.ret!), x0 + 3);
    const cls = o.id === r.op ? 'culprit' : r.concurrent.includes(o.id) ? 'concurrent' : 'prefix';
    const n = order.get(o.id);
    const label = `${n !== undefined ? `#${n} ` : o.id === r.op ? '✗ ' : ''}${o.f} ${showValue(o.input)}${o.outcome === 'ok' ? ` → ${showValue(o.output)}` : ` (${o.outcome})`}`;
    parts.push(
      `<g class="cu-op ${cls} ${o.outcome}${open ? ' open' : ''}" data-op="${o.id}"><title>${escapeHtml(describeOp(o))}</title>` +
        `<rect x="${x0.toFixed(1)}" y="${y}" width="${(x1 - x0).toFixed(1)}" height="20" rx="3"/>` +
        // Labels of ops near the right edge go to their left so they stay inside the picture.
        (x0 > W * 0.7
          ? `<text x="${(x1 - 4).toFixed(1)}" y="${y + 14}" text-anchor="end">${escapeHtml(label.length > 40 ? `${label.slice(0, 37)}…` : label)}</text></g>`
          : `<text x="${(x0 + 4).toFixed(1)}" y="${y + 14}">${escapeHtml(label.length > 60 ? `${label.slice(0, 57)}…` : label)}</text></g>`),
    );
  }
  parts.push(`<text x="${left}" y="${H - 6}" class="axis">${escapeHtml(sec(t0))}</text><text x="${W - 20}" y="${H - 6}" text-anchor="end" class="axis">${escapeHtml(sec(t1))}</text>`);
  return `<svg class="closeup" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="ops around the anomaly">${parts.join('')}</svg>
<p class="legend"><span class="sw prefix"></span>in the linearizable prefix (#n = its place in the order) <span class="sw concurrent"></span>concurrent, could not be placed <span class="sw culprit"></span>the op that cannot be placed</p>`;
}

export function renderAnomaly(ops: readonly ReportOp[], r: ResolvedAnomaly): string {
  const a = r.anomaly;
  const culprit = r.op !== null ? ops[r.op] : undefined;
  const prefixOps = r.prefix.map((id) => ops[id]!).filter(Boolean);
  const hidden = Math.max(0, prefixOps.length - LIST_SHOWN);
  const seen = culprit ? (culprit.outcome === 'info' ? 'unknown (info)' : showValue(culprit.output)) : showValue(a.op.output);
  return `<section id="anomaly" class="card anomaly">
<h2>The anomaly${a.key !== null ? ` on key <code>${escapeHtml(a.key)}</code>` : ''}</h2>
<p class="explanation">${escapeHtml(a.explanation)}</p>
<table class="facts">
<tr><th>Cannot be placed</th><td>${culprit ? `${escapeHtml(describeOp(culprit))} <span class="muted">[${escapeHtml(sec(culprit.call))} – ${escapeHtml(sec(culprit.ret))}${culprit.node ? `, node ${escapeHtml(culprit.node)}` : ''}]</span> <a href="#timeline" class="op-link jump" data-op="${culprit.id}">show on the timeline</a>` : escapeHtml(`${a.op.f} ${showValue(a.op.input)}`)}</td></tr>
<tr><th>Expected (state after the prefix)</th><td><code>${escapeHtml(a.state)}</code></td></tr>
<tr><th>Seen</th><td><code>${escapeHtml(seen)}</code></td></tr>
<tr><th>Longest linearizable prefix</th><td>${a.prefix.length} ops</td></tr>
<tr><th>Concurrent ops also unplaceable</th><td>${a.concurrent.length}</td></tr>
</table>
${closeUp(ops, r)}
<details${prefixOps.length <= LIST_SHOWN ? '' : ''}><summary>The linearizable prefix, in order (${prefixOps.length} ops)</summary>
${hidden ? `<p class="muted">… ${hidden} earlier ops not listed</p>` : ''}<ol start="${hidden + 1}">${prefixOps.slice(hidden).map((o) => opItem(o)).join('')}</ol></details>
<details open><summary>Concurrent ops (${r.concurrent.length})</summary><ul>${r.concurrent.map((id) => ops[id]).filter((o): o is ReportOp => !!o).map((o) => opItem(o)).join('') || '<li class="muted">none</li>'}</ul></details>
</section>`;
}
