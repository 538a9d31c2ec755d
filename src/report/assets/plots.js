// Performance plots, as in Jepsen's perf graphs: latency over time (every completed op as a point,
// p50/p95/p99 lines over ok ops) and throughput over time, both over the fault bands.
'use strict';
(function () {
  const T = window.tenrec;
  const D = T.data;
  const P = D.perf;
  const LEFT = 64, RIGHT = 12, TOP = 30, BOTTOM = 24, HEIGHT = 260;
  const QUANTILE_STYLE = [['p50', '#222', []], ['p95', '#1a5fd0', [6, 3]], ['p99', '#8e24aa', [2, 3]]];
  const t1 = Math.max(D.end, 1e-6);

  function frame(canvas) {
    const f = T.fitCanvas(canvas, HEIGHT);
    f.xOf = (t) => LEFT + (t / t1) * (f.w - LEFT - RIGHT);
    f.bottom = HEIGHT - BOTTOM;
    f.ctx.clearRect(0, 0, f.w, HEIGHT);
    T.drawBands(f.ctx, f.xOf, 0, t1, TOP - 26, f.bottom, true);
    return f;
  }

  function axes(f, yTicks, yOf, fmt) {
    const ctx = f.ctx;
    ctx.strokeStyle = '#999';
    ctx.beginPath();
    ctx.moveTo(LEFT + 0.5, TOP); ctx.lineTo(LEFT + 0.5, f.bottom + 0.5); ctx.lineTo(f.w - RIGHT, f.bottom + 0.5);
    ctx.stroke();
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillStyle = '#444';
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    for (const v of yTicks) {
      const y = yOf(v);
      ctx.fillStyle = '#eee'; ctx.fillRect(LEFT + 1, y, f.w - LEFT - RIGHT, 1);
      ctx.fillStyle = '#444'; ctx.fillText(fmt(v), LEFT - 4, y);
    }
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    for (const t of T.ticks(0, t1, Math.max(2, Math.floor((f.w - LEFT) / 90)))) {
      const x = f.xOf(t);
      ctx.fillRect(x, f.bottom, 1, 4);
      ctx.fillText(T.fmtSeconds(t), x + 2, f.bottom + 5);
    }
  }

  function line(ctx, pts, color, dash) {
    if (pts.length === 0) return;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(dash);
    ctx.beginPath();
    // A null point breaks the line (buckets with no ok ops have no percentile to draw).
    let pen = false;
    for (const p of pts) {
      if (p === null) { pen = false; continue; }
      if (pen) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]);
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.lineWidth = 1;
  }

  function latency() {
    const f = frame(document.getElementById('latency-canvas'));
    const ctx = f.ctx;
    const values = P.points.map((p) => p[1]).filter((v) => v > 0);
    let lo = values.length ? Math.min(...values) : 0.1;
    let hi = values.length ? Math.max(...values) : 10;
    lo = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-3))));
    hi = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, lo * 10))));
    const yOf = (ms) => f.bottom - ((Math.log10(Math.max(ms, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (f.bottom - TOP);
    const decades = [];
    for (let v = lo; v <= hi * 1.0001; v *= 10) decades.push(v);
    axes(f, decades, yOf, T.fmtMs);
    for (const outcome of ['ok', 'info', 'fail']) {
      ctx.fillStyle = T.COLORS[outcome];
      ctx.globalAlpha = outcome === 'ok' ? 0.45 : 0.8;
      for (const [t, ms, o] of P.points) if (o === outcome) ctx.fillRect(f.xOf(t) - 1.5, yOf(ms) - 1.5, 3, 3);
    }
    ctx.globalAlpha = 1;
    const mid = P.bucket / 2;
    QUANTILE_STYLE.forEach(([, color, dash], k) => {
      const pts = [];
      P.quantiles.forEach((q, i) => {
        if (i > 0 && q[0] - P.quantiles[i - 1][0] > P.bucket * 1.5) pts.push(null);
        pts.push([f.xOf(q[0] + mid), yOf(q[k + 1])]);
      });
      line(ctx, pts, color, dash);
    });
  }

  function throughput() {
    const f = frame(document.getElementById('throughput-canvas'));
    const max = Math.max(1, ...P.throughput.map((r) => Math.max(r[1], r[2], r[3])));
    const yTicks = T.ticks(0, max * 1.1, 5);
    const top = yTicks[yTicks.length - 1] || max;
    const yOf = (v) => f.bottom - (v / top) * (f.bottom - TOP);
    axes(f, yTicks, yOf, (v) => String(v));
    const mid = P.bucket / 2;
    ['ok', 'fail', 'info'].forEach((o, k) => {
      // A series that is zero throughout would only hide the others' baseline.
      if (P.throughput.every((r) => r[k + 1] === 0)) return;
      line(f.ctx, P.throughput.map((r) => [f.xOf(r[0] + mid), yOf(r[k + 1])]), T.COLORS[o], []);
    });
  }

  function drawAll() { latency(); throughput(); }
  // Clicking a plot centres the timeline on that moment.
  for (const id of ['latency-canvas', 'throughput-canvas']) {
    const c = document.getElementById(id);
    c.addEventListener('click', (ev) => {
      if (!T.timeline) return;
      const r = c.getBoundingClientRect();
      const t = ((ev.clientX - r.left - LEFT) / (r.width - LEFT - RIGHT)) * t1;
      const span = t1 / 20;
      T.timeline.setView(t - span / 2, t + span / 2);
      document.getElementById('timeline').scrollIntoView({ block: 'start' });
    });
  }
  window.addEventListener('resize', drawAll);
  drawAll();
})();
