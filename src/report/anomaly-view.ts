// The anomaly section, Porcupine-style: what could not be placed, after which linearizable
// prefix, what state it expected vs what it saw, which ops overlapped it, and a close-up diagram
// of those ops with their linearization order. Server-rendered: every value goes through escapeHtml.
import { spellOp } from '../../checker/evidence/spell.ts';
import { escapeHtml, showValue } from './escape.ts';
import type { ReportOp } from './pair.ts';
import type { ResolvedAnomaly } from './resolve-anomaly.ts';

const PREFIX_SHOWN = 8;
const LIST_SHOWN = 40;

const sec = (ns: number | null) => (ns === null ? '∞' : `${(ns / 1e9).toFixed(3)} s`);

/** The op's number as everywhere else: its invoke is the history's Nth client invoke. */
export const opNumber = (o: ReportOp) => `#${o.id + 1}`;

/** The same words as `tenrec check` prints: `#12 inc k3 by 1 → 97`. */
export function describeOp(o: ReportOp): string {
  const compareFailed = o.f === 'cas' && o.outcome === 'fail' && o.error === 'compare-failed';
  return `${opNumber(o)} ${spellOp({ f: o.f, ...(o.key !== undefined ? { key: o.key } : {}), input: o.input, output: o.output, outcome: compareFailed ? 'ok' : o.outcome, ...(compareFailed ? { compareFailed } : {}) })}`;
}

function opItem(o: ReportOp, extra = ''): string {
  return `<li><a href="#timeline" class="op-link" data-op="${o.id}">${escapeHtml(describeOp(o))}</a> <span class="muted">[process ${o.process}, ${escapeHtml(sec(o.call))} – ${escapeHtml(sec(o.ret))}${o.node ? `, ${escapeHtml(o.node)}` : ''}]</span>${extra}</li>`;
}

/**
 * The close-up: the end of the prefix, the concurrent ops and the culprit, one row per process.
 * Like Porcupine's view, x is event order rather than time to scale: what decides
 * linearizability is which op returned before which was invoked, and a 1 s timeout next to 1 ms
 * reads would otherwise squash the reads into slivers. Hover a bar for its exact times.
 */
function closeUp(ops: readonly ReportOp[], r: ResolvedAnomaly): string {
  const order = new Map<number, number>();
  r.prefix.forEach((id, i) => order.set(id, i + 1));
  const ids = new Set<number>([...r.prefix.slice(-PREFIX_SHOWN), ...r.concurrent]);
  if (r.op !== null) ids.add(r.op);
  // A proof without a prefix rests on this op: show it.
  if (r.after !== undefined) ids.add(r.after);
  const shown = [...ids].map((id) => ops[id]!).filter(Boolean).sort((a, b) => a.call - b.call);
  if (shown.length === 0) return '';
  const stamps = [...new Set(shown.flatMap((o) => (o.ret === null ? [o.call] : [o.call, o.ret])))].sort((a, b) => a - b);
  const rank = new Map(stamps.map((t, i) => [t, i]));
  const procs = [...new Set(shown.map((o) => o.process))];
  const W = 900, left = 60, right = 16, rowH = 46, barH = 36, top = 12;
  const H = top + procs.length * rowH + 24;
  const step = (W - left - right) / Math.max(1, stamps.length);
  const x = (t: number) => left + rank.get(t)! * step;
  const CHAR = 6.3; // px per character of the 11px label font
  const fit = (text: string, room: number) => {
    const max = Math.floor(room / CHAR);
    return text.length <= max ? text : max >= 3 ? `${text.slice(0, max - 1)}…` : '';
  };
  const parts: string[] = [];
  procs.forEach((p, i) => parts.push(`<text x="4" y="${top + i * rowH + 24}" class="lane-label">p${p}</text>`));
  for (const o of shown) {
    const y = top + procs.indexOf(o.process) * rowH + 4;
    const x0 = x(o.call) + 2;
    const open = o.ret === null;
    const x1 = open ? W - right : x(o.ret!) + step - 2;
    const cls = o.id === r.op ? 'culprit' : r.concurrent.includes(o.id) ? 'concurrent' : 'prefix';
    const n = order.get(o.id);
    // Bars carry the op's number, as the text does; the place in the order is in the tooltip.
    const mark = o.id === r.op ? `✗ ${opNumber(o)}` : opNumber(o);
    const place = n !== undefined ? `place ${n} in the linearizable order` : o.id === r.op ? 'cannot be placed' : 'could not be placed';
    // Two short lines fit narrow bars: "#12 write" over "3 → 3" (a read's null input is left out).
    const input = o.input === null || o.input === undefined ? '' : `${showValue(o.input)} `;
    const result = o.outcome === 'ok' ? `→ ${showValue(o.output)}` : o.outcome === 'fail' ? '→ fail' : '→ ?';
    const room = x1 - x0 - 8;
    const when = `${sec(o.call)} – ${sec(o.ret)}`;
    parts.push(
      `<g class="cu-op ${cls} ${o.outcome}${open ? ' open' : ''}" data-op="${o.id}"><title>${escapeHtml(`${describeOp(o)} [process ${o.process}, ${when}] — ${place}`)}</title>` +
        `<rect x="${x0.toFixed(1)}" y="${y}" width="${(x1 - x0).toFixed(1)}" height="${barH}" rx="3"/>` +
        `<text x="${(x0 + 4).toFixed(1)}" y="${y + 14}">${escapeHtml(fit(`${mark} ${o.f}`, room))}</text>` +
        `<text x="${(x0 + 4).toFixed(1)}" y="${y + 29}">${escapeHtml(fit(`${input}${result}`, room))}</text>` +
        '</g>',
    );
  }
  parts.push(`<text x="${left}" y="${H - 6}" class="axis">${escapeHtml(sec(stamps[0]!))}</text><text x="${W - right}" y="${H - 6}" text-anchor="end" class="axis">${escapeHtml(sec(stamps[stamps.length - 1]!))}</text>`);
  parts.push(`<text x="${(W / 2).toFixed(0)}" y="${H - 6}" text-anchor="middle" class="axis">event order (not to scale) →</text>`);
  return `<svg class="closeup" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="ops around the anomaly">${parts.join('')}</svg>
<p class="legend"><span class="sw prefix"></span>in the linearizable prefix <span class="sw concurrent"></span>concurrent, could not be placed <span class="sw culprit"></span>✗ the op that cannot be placed · #n is the op's number, as in <code>tenrec check</code> · hover a bar for its times and its place in the order</p>`;
}

/** For a stale read proven without a search: the op it rests on. */
function proofRow(ops: readonly ReportOp[], r: ResolvedAnomaly): string {
  const after = r.anomaly.proof && r.after !== undefined ? ops[r.after] : undefined;
  if (!after) return '';
  return `<tr><th>Proven stale by</th><td>${escapeHtml(describeOp(after))} <span class="muted">[${escapeHtml(sec(after.call))} – ${escapeHtml(sec(after.ret))}]</span>, returned before it began; nothing that could undo it fits between them <a href="#timeline" class="op-link jump" data-op="${after.id}">show on the timeline</a></td></tr>\n`;
}

export function renderAnomaly(ops: readonly ReportOp[], r: ResolvedAnomaly, lead?: { headline: string; moment?: string }): string {
  const a = r.anomaly;
  const culprit = r.op !== null ? ops[r.op] : undefined;
  const prefixOps = r.prefix.map((id) => ops[id]!).filter(Boolean);
  const hidden = Math.max(0, prefixOps.length - LIST_SHOWN);
  const seen = culprit ? (culprit.outcome === 'info' ? 'unknown (info)' : showValue(culprit.output)) : showValue(a.op.output);
  return `<section id="anomaly" class="card anomaly">
<h2>The anomaly${a.key !== null ? ` on key <code>${escapeHtml(a.key)}</code>` : ''}</h2>
${lead ? `<p class="headline"><strong>${escapeHtml(lead.headline)}.</strong>${lead.moment ? ` ${escapeHtml(lead.moment)}` : ''}</p>` : ''}
<p class="explanation">${escapeHtml(a.explanation)}</p>
<table class="facts">
<tr><th>Cannot be placed</th><td>${culprit ? `${escapeHtml(describeOp(culprit))} <span class="muted">[${escapeHtml(sec(culprit.call))} – ${escapeHtml(sec(culprit.ret))}${culprit.node ? `, node ${escapeHtml(culprit.node)}` : ''}]</span> <a href="#timeline" class="op-link jump" data-op="${culprit.id}">show on the timeline</a>` : escapeHtml(`${a.op.f} ${showValue(a.op.input)}`)}</td></tr>
${a.proof && a.prefix.length === 0 ? '' : `<tr><th>Expected (state after the prefix)</th><td><code>${escapeHtml(a.state)}</code></td></tr>`}
<tr><th>Seen</th><td><code>${escapeHtml(seen)}</code></td></tr>
${proofRow(ops, r)}<tr><th>${a.proof ? 'Order of the ops completed before it' : 'Longest linearizable prefix'}</th><td>${a.prefix.length} ops${a.proof && a.prefix.length === 0 ? ' (none needed: see the proof)' : ''}</td></tr>
<tr><th>Concurrent ops also unplaceable</th><td>${a.concurrent.length}</td></tr>
</table>
${closeUp(ops, r)}
${r.partials ? '<div id="partial-view" class="partial"><p class="muted">Click an op in the picture to list the longest linearization that includes it (as Porcupine does): the ops the checker could order up to and including it.</p></div>' : ''}
<details${prefixOps.length <= LIST_SHOWN ? '' : ''}><summary>The linearizable prefix, in order (${prefixOps.length} ops)</summary>
${hidden ? `<p class="muted">… ${hidden} earlier ops not listed</p>` : ''}<ol start="${hidden + 1}">${prefixOps.slice(hidden).map((o) => opItem(o)).join('')}</ol></details>
<details open><summary>Concurrent ops (${r.concurrent.length})</summary><ul>${r.concurrent.map((id) => ops[id]).filter((o): o is ReportOp => !!o).map((o) => opItem(o)).join('') || '<li class="muted">none</li>'}</ul></details>
</section>`;
}
