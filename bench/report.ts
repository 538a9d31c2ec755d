// The HTML report at scale: render time and size on the server side, then load, first draw and
// zoom/pan redraw time in headless Chromium (skipped with a note when chromium is absent).
// Figures only; no thresholds. `node --import tsx bench/report.ts [ops…]`
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderReport } from '../src/report/render.ts';
import { syntheticHistory } from '../test/report/fixtures/synthetic.ts';
import { chromiumPath, launchChromium } from '../test/report/browser.ts';

declare const window: any;
declare const performance: { now(): number };

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-bench-report-'));
const files: [number, string][] = [];
for (const ops of sizes.length ? sizes : [1_000, 10_000, 50_000]) {
  const history = syntheticHistory({ ops, concurrency: 10, keys: 4 });
  const t0 = performance.now();
  const html = renderReport({ history, result: { valid: true, model: 'register', ops, partitions: 4, ms: 0, parts: [] }, test: { concurrency: 10 } });
  const ms = performance.now() - t0;
  const file = path.join(dir, `${ops}.html`);
  fs.writeFileSync(file, html);
  files.push([ops, file]);
  console.log(`render ${String(ops).padStart(6)} ops: ${ms.toFixed(0).padStart(5)} ms, ${(html.length / 1e6).toFixed(2)} MB`);
}

let browserOk = true;
try {
  chromiumPath();
} catch (err) {
  browserOk = false;
  console.log(`browser figures skipped: ${(err as Error).message}`);
}
if (browserOk) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    for (const [ops, file] of files) {
      const t0 = Date.now();
      await page.goto(`file://${file}`);
      const loadMs = Date.now() - t0;
      const redraw = await page.evaluate(() => {
        const t = window.tenrec.timeline;
        const end = window.tenrec.data.end;
        const s = performance.now();
        for (let i = 0; i < 30; i++) t.setView((end * i) / 100, end - (end * i) / 100);
        return (performance.now() - s) / 30;
      });
      console.log(`browser ${String(ops).padStart(6)} ops: load+first draw ${String(loadMs).padStart(5)} ms, timeline redraw ${redraw.toFixed(1)} ms/frame`);
    }
  } finally {
    await browser.close();
  }
}
fs.rmSync(dir, { recursive: true, force: true });
