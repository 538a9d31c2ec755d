// Shared by the report's scripts: the embedded data, colours, axes and fault bands.
// Plain browser JavaScript, inlined into report.html (no network, no build step).
'use strict';
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const COLORS = { ok: '#2e9e44', fail: '#d64545', info: '#e0a21b' };
  const BAND_FILL = { kill: 'rgba(214,69,69,0.13)', pause: 'rgba(60,110,220,0.13)', partition: 'rgba(140,70,200,0.13)', 'power-loss': 'rgba(40,40,40,0.14)', failpoint: 'rgba(230,120,20,0.14)', fsync: 'rgba(20,140,140,0.14)', clock: 'rgba(150,150,20,0.16)', corrupt: 'rgba(120,60,20,0.15)' };
  const BAND_TEXT = { kill: '#a33', pause: '#2a55b0', partition: '#6b3aa0', 'power-loss': '#222', failpoint: '#a05a00', fsync: '#0b6e6e', clock: '#6e6e0b', corrupt: '#78400f', 'add-member': '#1d7a2e', 'remove-member': '#8a3b12' };

  /** A canvas sized to its CSS box at the device pixel ratio; returns its 2D context in CSS pixels. */
  function fitCanvas(canvas, cssHeight) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.parentElement.clientWidth;
    const pw = Math.round(w * dpr), ph = Math.round(cssHeight * dpr);
    // Resizing reallocates the bitmap: only do it when the size really changed (zoom and pan do not).
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.style.width = w + 'px';
      canvas.style.height = cssHeight + 'px';
      canvas.width = pw;
      canvas.height = ph;
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, cssHeight);
    return { ctx, w, h: cssHeight };
  }

  /** Round tick positions between a and b, about `n` of them. */
  function ticks(a, b, n) {
    const span = b - a;
    if (!(span > 0)) return [a];
    const raw = span / n;
    const pow = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) || raw;
    const out = [];
    for (let t = Math.ceil(a / step) * step; t <= b + 1e-12; t += step) out.push(+t.toPrecision(12));
    return out;
  }

  function fmtSeconds(s) {
    if (Math.abs(s) >= 10) return s.toFixed(1) + ' s';
    if (Math.abs(s) >= 1) return s.toFixed(2) + ' s';
    return (s * 1000).toFixed(s === 0 ? 0 : 1) + ' ms';
  }
  function fmtMs(ms) {
    if (ms >= 1000) return (ms / 1000).toFixed(2) + ' s';
    if (ms >= 1) return ms.toFixed(1) + ' ms';
    return (ms * 1000).toFixed(0) + ' µs';
  }

  /** Shades every fault band between y0 and y1 for the visible time window; labels on top when asked. */
  function drawBands(ctx, xOf, t0, t1, y0, y1, labels) {
    for (const b of data.bands) {
      const end = b.end === null ? data.end : b.end;
      if (end < t0 || b.start > t1) continue;
      const xa = xOf(Math.max(b.start, t0));
      const xb = Math.max(xOf(Math.min(end, t1)), xa + 2);
      ctx.fillStyle = BAND_FILL[b.kind] || 'rgba(120,120,120,0.13)';
      ctx.fillRect(xa, y0, xb - xa, y1 - y0);
    }
    for (const m of data.markers) {
      if (m.start < t0 || m.start > t1) continue;
      ctx.strokeStyle = BAND_TEXT[m.kind] || 'rgba(90,90,90,0.6)';
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(xOf(m.start) + 0.5, y0);
      ctx.lineTo(xOf(m.start) + 0.5, y1);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (!labels) return;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    // Stagger labels of overlapping bands over three rows so they stay readable.
    const rowEnds = [-Infinity, -Infinity, -Infinity];
    for (const b of data.bands.concat(data.markers)) {
      const end = b.end === null ? data.end : b.end;
      if (end < t0 || b.start > t1) continue;
      const text = b.kind + (b.target ? ' ' + b.target : '');
      const x = Math.max(xOf(Math.max(b.start, t0)) + 2, xOf(t0));
      const w = ctx.measureText(text).width;
      let row = rowEnds.findIndex((e) => e < x);
      if (row < 0) continue;
      rowEnds[row] = x + w + 6;
      ctx.fillStyle = BAND_TEXT[b.kind] || '#555';
      ctx.fillText(text, x, y0 + 2 + row * 13);
    }
  }

  window.tenrec = { data, COLORS, fitCanvas, ticks, fmtSeconds, fmtMs, drawBands };
})();
