// The timeline: one lane per process grouped by client, ops as bars from invoke to completion,
// faults as shaded bands. Canvas, drawing only what is in view, so thousands of ops stay smooth.
'use strict';
(function () {
  const T = window.tenrec;
  const D = T.data;
  const canvas = document.getElementById('timeline-canvas');
  const tip = document.getElementById('tooltip');
  const GUTTER = 84, AXIS = 22, BAND_LABELS = 42, ROW = 14, GAP = 4;
  const full = { t0: 0, t1: Math.max(D.end, 1e-6) };
  let view = { t0: full.t0, t1: full.t1 };
  let compact = D.lanes.length > 60;
  let keyFilter = null;
  let focus = null; // op id highlighted by a jump
  const culprit = D.anomaly ? D.anomaly.op : null;
  const concurrent = new Set(D.anomaly ? D.anomaly.concurrent : []);

  // Rows: per process (grouped by client), or one per client in compact mode. Ops in a row are
  // sorted by invoke time and do not overlap (a process has one op outstanding), so a binary
  // search finds the first visible one.
  let rows = [];
  function buildRows() {
    const byKey = new Map();
    rows = [];
    for (const lane of D.lanes) {
      const id = compact ? 'c' + lane.client : 'p' + lane.process;
      if (!byKey.has(id)) {
        const row = { label: compact ? 'client ' + lane.client : 'p' + lane.process, client: lane.client, ops: [] };
        byKey.set(id, row);
        rows.push(row);
      }
    }
    const laneOf = new Map(D.lanes.map((l) => [l.process, compact ? 'c' + l.client : 'p' + l.process]));
    for (const op of D.ops) {
      const row = byKey.get(laneOf.get(op.p));
      if (row) row.ops.push(op);
    }
    for (const row of rows) row.ops.sort((a, b) => a.c - b.c);
  }

  function rowY(i) {
    // Client groups get a small gap between them.
    let groups = 0;
    for (let k = 1; k <= i; k++) if (rows[k].client !== rows[k - 1].client) groups++;
    return BAND_LABELS + i * ROW + (compact ? 0 : groups * GAP);
  }
  let rowTops = [];
  let size = { w: 0, h: 0 };

  function xOf(t) { return GUTTER + ((t - view.t0) / (view.t1 - view.t0)) * (size.w - GUTTER - 8); }
  function tOf(x) { return view.t0 + ((x - GUTTER) / (size.w - GUTTER - 8)) * (view.t1 - view.t0); }

  function firstVisible(ops, t0) {
    let lo = 0, hi = ops.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const end = ops[mid].r === null ? Infinity : ops[mid].r;
      if (end < t0) lo = mid + 1; else hi = mid;
    }
    // Ops before lo end before t0, except open ones (r null) that a binary search cannot order;
    // at most one per process, the last, so scanning from lo is enough.
    return lo;
  }

  function draw() {
    rowTops = rows.map((_, i) => rowY(i));
    const height = (rows.length ? rowTops[rows.length - 1] + ROW : BAND_LABELS) + AXIS + 4;
    const fitted = T.fitCanvas(canvas, height);
    const ctx = fitted.ctx;
    size = fitted;
    ctx.clearRect(0, 0, size.w, size.h);
    const bottom = height - AXIS;
    // Client group shading.
    for (let i = 0; i < rows.length; i++) {
      if (rows[i].client % 2 === 1) { ctx.fillStyle = '#f6f7f9'; ctx.fillRect(0, rowTops[i], size.w, ROW); }
    }
    ctx.save();
    ctx.beginPath(); ctx.rect(GUTTER, 0, size.w - GUTTER, height); ctx.clip();
    T.drawBands(ctx, xOf, view.t0, view.t1, 0, bottom, true);
    // Bars are batched: one path per style (outcome × dimmed × open), and touching bars of the same
    // style merge into one rectangle, so a full-range view of 50k ops costs about one rect per
    // pixel column per lane instead of one draw call per op.
    const paths = new Map();
    const labels = [];
    const marked = [];
    const pathFor = (key) => { let p = paths.get(key); if (!p) { p = new Path2D(); paths.set(key, p); } return p; };
    for (let i = 0; i < rows.length; i++) {
      const ops = rows[i].ops;
      const y = rowTops[i] + 2, h = ROW - 4;
      let run = null;
      const flush = () => { if (run) pathFor(run.key).rect(run.xa, y, run.xb - run.xa, h); run = null; };
      for (let j = firstVisible(ops, view.t0); j < ops.length; j++) {
        const op = ops[j];
        if (op.c > view.t1) break;
        const end = op.r === null ? D.end : op.r;
        const xa = xOf(op.c);
        const xb = Math.max(xOf(end), xa + 1.5);
        const dim = keyFilter !== null && op.k !== keyFilter;
        const key = op.s + (dim ? ':dim' : op.r === null ? ':open' : '');
        if (run && run.key === key && xa <= run.xb + 1) run.xb = Math.max(run.xb, xb);
        else { flush(); run = { key, xa, xb }; }
        if (xb - xa > 46 && !dim) labels.push([op, xa, xb, y, h]);
        if (op.id === culprit || concurrent.has(op.id) || op.id === focus) marked.push([op, xa, xb, y, h]);
      }
      flush();
    }
    for (const [key, path] of paths) {
      const [outcome, mod] = key.split(':');
      ctx.globalAlpha = mod === 'dim' ? 0.15 : mod === 'open' ? 0.55 : 1;
      ctx.fillStyle = T.COLORS[outcome];
      ctx.fill(path);
    }
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#fff';
    ctx.font = '9px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const [op, xa, xb, y, h] of labels) {
      ctx.fillText(op.f + ' ' + short(op.i) + (op.s === 'ok' ? '→' + short(op.o) : ''), xa + 3, y + h / 2, xb - xa - 5);
    }
    for (const [op, xa, xb, y, h] of marked) {
      ctx.lineWidth = op.id === culprit || op.id === focus ? 2.5 : 1.5;
      ctx.strokeStyle = op.id === culprit ? '#000' : op.id === focus ? '#1a5fd0' : '#e07000';
      ctx.strokeRect(xa - 1, y - 1, xb - xa + 2, h + 2);
    }
    ctx.restore();
    // Lane labels.
    ctx.font = '10px ui-monospace, monospace';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#333';
    for (let i = 0; i < rows.length; i++) {
      const first = i === 0 || rows[i - 1].client !== rows[i].client;
      const label = compact ? rows[i].label : (first ? 'c' + rows[i].client + ' ' : '   ') + rows[i].label;
      ctx.fillText(label, 4, rowTops[i] + ROW / 2);
    }
    // Time axis.
    ctx.strokeStyle = '#999';
    ctx.beginPath(); ctx.moveTo(GUTTER, bottom + 0.5); ctx.lineTo(size.w, bottom + 0.5); ctx.stroke();
    ctx.fillStyle = '#444';
    ctx.textBaseline = 'top';
    for (const t of T.ticks(view.t0, view.t1, Math.max(2, Math.floor((size.w - GUTTER) / 90)))) {
      const x = xOf(t);
      if (x < GUTTER - 1) continue;
      ctx.fillRect(x, bottom, 1, 4);
      ctx.fillText(T.fmtSeconds(t), x + 2, bottom + 5);
    }
    document.getElementById('timeline-view').textContent =
      T.fmtSeconds(view.t0) + ' – ' + T.fmtSeconds(view.t1) + ' · ' + rows.length + (compact ? ' clients' : ' processes');
  }

  function short(v) {
    const s = v === undefined || v === null ? '' : JSON.stringify(v);
    return s.length > 12 ? s.slice(0, 11) + '…' : s;
  }

  let pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  }

  function clampView(t0, t1) {
    const minSpan = 1e-6;
    let span = Math.max(minSpan, Math.min(t1 - t0, full.t1 - full.t0));
    t0 = Math.max(full.t0, Math.min(t0, full.t1 - span));
    view = { t0, t1: t0 + span };
  }
  function zoomAt(t, factor) {
    clampView(t - (t - view.t0) * factor, t + (view.t1 - t) * factor);
    redraw();
  }

  function opAt(x, y) {
    const i = rowTops.findIndex((top) => y >= top && y < top + ROW);
    if (i < 0 || x < GUTTER) return null;
    const t = tOf(x);
    const slack = 3 * (view.t1 - view.t0) / (size.w - GUTTER);
    const ops = rows[i].ops;
    for (let j = firstVisible(ops, t - slack); j < ops.length && ops[j].c <= t + slack; j++) {
      const end = ops[j].r === null ? D.end : ops[j].r;
      if (ops[j].c - slack <= t && t <= end + slack) return ops[j];
    }
    return null;
  }

  function showTip(op, ev) {
    const lat = op.r === null ? 'no completion (unknown outcome)' : T.fmtMs((op.r - op.c) * 1000);
    const lines = [
      ['op', op.t],
      ['outcome', op.s],
      ['process', 'p' + op.p],
      ['node', op.n || '—'],
      ['latency', lat],
      ['invoked', T.fmtSeconds(op.c)],
    ];
    if (op.e) lines.push(['error', op.e]);
    // textContent only: history values are untrusted.
    tip.replaceChildren(...lines.map(([k, v]) => {
      const div = document.createElement('div');
      const b = document.createElement('b');
      b.textContent = k + ': ';
      div.append(b, document.createTextNode(v));
      return div;
    }));
    tip.hidden = false;
    const pad = 14;
    let left = ev.clientX + pad, top = ev.clientY + pad;
    if (left + tip.offsetWidth > window.innerWidth) left = ev.clientX - tip.offsetWidth - pad;
    if (top + tip.offsetHeight > window.innerHeight) top = ev.clientY - tip.offsetHeight - pad;
    tip.style.left = left + 'px';
    tip.style.top = top + 'px';
  }

  let drag = null;
  canvas.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, t0: view.t0, t1: view.t1 }; canvas.classList.add('dragging'); });
  window.addEventListener('mouseup', () => { drag = null; canvas.classList.remove('dragging'); });
  window.addEventListener('mousemove', (ev) => {
    if (drag) {
      const dt = ((ev.clientX - drag.x) / (size.w - GUTTER - 8)) * (drag.t1 - drag.t0);
      clampView(drag.t0 - dt, drag.t1 - dt);
      redraw();
      tip.hidden = true;
      return;
    }
    if (ev.target !== canvas) { tip.hidden = true; return; }
    const r = canvas.getBoundingClientRect();
    const op = opAt(ev.clientX - r.left, ev.clientY - r.top);
    if (op) showTip(op, ev); else tip.hidden = true;
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const r = canvas.getBoundingClientRect();
    zoomAt(tOf(ev.clientX - r.left), ev.deltaY > 0 ? 1.25 : 0.8);
  }, { passive: false });
  canvas.addEventListener('dblclick', () => { view = { ...full }; redraw(); });
  document.getElementById('zoom-in').addEventListener('click', () => zoomAt((view.t0 + view.t1) / 2, 0.5));
  document.getElementById('zoom-out').addEventListener('click', () => zoomAt((view.t0 + view.t1) / 2, 2));
  document.getElementById('zoom-reset').addEventListener('click', () => { view = { ...full }; focus = null; redraw(); });
  const compactBox = document.getElementById('compact');
  compactBox.checked = compact;
  compactBox.addEventListener('change', () => { compact = compactBox.checked; buildRows(); redraw(); });
  const keySelect = document.getElementById('key-filter');
  keySelect.addEventListener('change', () => { keyFilter = keySelect.value === '' ? null : keySelect.value; redraw(); });
  window.addEventListener('resize', redraw);

  /** Centres the timeline on an op, zoomed so it and its neighbours are readable. */
  function jump(id) {
    const op = D.ops[id];
    if (!op) return;
    const end = op.r === null ? D.end : op.r;
    const span = Math.max((end - op.c) * 6, (full.t1 - full.t0) / 200, 1e-4);
    const mid = (op.c + end) / 2;
    clampView(mid - span / 2, mid + span / 2);
    focus = id;
    // Dim the other keys: an anomaly is about one key, and its neighbours on other keys distract.
    if (op.k !== undefined && keySelect.querySelector('option[value="' + CSS.escape(op.k) + '"]')) {
      keyFilter = op.k;
      keySelect.value = op.k;
    }
    draw();
    const i = rows.findIndex((row) => row.ops.includes(op));
    document.getElementById('timeline').scrollIntoView({ block: 'start' });
    const wrap = document.getElementById('timeline-wrap');
    if (i >= 0) wrap.scrollTop = Math.max(0, rowTops[i] - wrap.clientHeight / 2);
  }
  for (const a of document.querySelectorAll('.op-link')) {
    a.addEventListener('click', (ev) => { ev.preventDefault(); jump(Number(a.dataset.op)); });
  }

  buildRows();
  draw();
  /** Where an op's bar is, in canvas CSS pixels (null when its row is hidden): for tests and tools. */
  function locate(id) {
    const op = D.ops[id];
    const i = op ? rows.findIndex((row) => row.ops.includes(op)) : -1;
    if (i < 0) return null;
    const x0 = xOf(op.c), x1 = Math.max(xOf(op.r === null ? D.end : op.r), x0 + 1.5);
    return { x: x0, y: rowTops[i] + 2, w: x1 - x0, h: ROW - 4 };
  }

  T.timeline = { jump, locate, get view() { return { ...view }; }, setView(t0, t1) { clampView(t0, t1); draw(); }, get focus() { return focus; } };
})();
