// The report in a real browser (Debian's Chromium through playwright-core): the timeline, the
// anomaly view and the plots draw, a hostile history value stays text, jumping and hovering work.
// Screenshots land in $TMPDIR/tenrec-report-shots for a human to look at.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderReport } from '../../src/report/render.ts';
import { launchChromium } from './browser.ts';
import { lostWrite, XSS } from './fixtures/lost-write.ts';
import { syntheticHistory } from './fixtures/synthetic.ts';

// These run inside the page (tsconfig has no DOM lib).
declare const window: any;
declare const document: any;
declare const performance: { now(): number };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-report-'));
const shots = path.join(os.tmpdir(), 'tenrec-report-shots');
fs.mkdirSync(shots, { recursive: true });

let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
  // The report must work offline: any request leaving the page is a failure.
  await page.route(/^(?!file:|data:|about:)/, (route) => { errors.push(`network: ${route.request().url()}`); return route.abort(); });
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(name: string, html: string): Promise<void> {
  const file = path.join(dir, `${name}.html`);
  fs.writeFileSync(file, html);
  errors.length = 0;
  await page.goto(`file://${file}`);
}

/** Counts pixels of a canvas by colour class, to tell a drawn picture from a blank one. */
function pixelCensus(id: string): Promise<{ painted: number; green: number; red: number; total: number }> {
  return page.evaluate((canvasId) => {
    const c = document.getElementById(canvasId);
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0, green = 0, red = 0;
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b, a] = [d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!];
      if (a === 0) continue;
      painted++;
      if (g > 130 && r < 90 && b < 110) green++;
      if (r > 190 && g < 100 && b < 100) red++;
    }
    return { painted, green, red, total: d.length / 4 };
  }, id);
}

describe('report in Chromium: an invalid history with a hostile value', () => {
  const { history, result } = lostWrite();

  it('renders the verdict, the anomaly and the hostile value as text, and runs no injected script', async () => {
    await open('lost-write', renderReport({ history, result, test: { concurrency: 3 }, title: 'lost write' }));
    expect(await page.locator('#verdict').innerText()).toBe('INVALID');
    await expect(page.locator('#anomaly').isVisible()).resolves.toBe(true);
    expect(await page.locator('#anomaly .explanation').innerText()).toContain(JSON.stringify(XSS));
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('svg.closeup g.culprit').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'lost-write.png'), fullPage: true });
  });

  it('draws ops on the timeline and points on both plots', async () => {
    const tl = await pixelCensus('timeline-canvas');
    expect(tl.green).toBeGreaterThan(200); // ok bars
    expect(tl.red).toBeGreaterThan(50); // the failed write
    for (const id of ['latency-canvas', 'throughput-canvas']) {
      const p = await pixelCensus(id);
      expect(p.painted / p.total).toBeGreaterThan(0.01);
      expect(p.green).toBeGreaterThan(20);
    }
  });

  it('jumps to the anomaly on the timeline and shows the op on hover', async () => {
    const before = await page.evaluate(() => window.tenrec.timeline.view);
    await page.locator('#anomaly a.jump').click();
    const after = await page.evaluate(() => window.tenrec.timeline.view);
    expect(after.t1 - after.t0).toBeLessThan(before.t1 - before.t0);
    expect(await page.evaluate(() => window.tenrec.timeline.focus)).toBe(4);
    const box = await page.evaluate(() => window.tenrec.timeline.locate(4));
    const canvas = (await page.locator('#timeline-canvas').boundingBox())!;
    await page.mouse.move(canvas.x + box.x + box.w / 2, canvas.y + box.y + box.h / 2);
    const tip = page.locator('#tooltip');
    await expect(tip.isVisible()).resolves.toBe(true);
    const text = await tip.innerText();
    expect(text).toContain('read x');
    expect(text).toContain('node: n1');
    expect(text).toContain('latency: 100.0 ms');
    expect(text).toContain(JSON.stringify(XSS));
    await page.screenshot({ path: path.join(shots, 'lost-write-jump.png') });
  });

  it('lists the longest partial linearization of a clicked op, as text', async () => {
    // Checker op 4 (p1 read → 2) is report op 5; its partial linearization is report ops 0, 1, 2, 5.
    await page.locator('svg.closeup g[data-op="5"]').click();
    expect(await page.locator('svg.closeup g.lin').count()).toBe(4);
    const items = await page.locator('#partial-view li').allInnerTexts();
    expect(items).toHaveLength(4);
    expect(items[0]).toContain(`write x := ${JSON.stringify(XSS)}`);
    expect(items[0]).toMatch(/^#1 /);
    expect(items[3]).toMatch(/^#\d+ read x → 2 +\[process 1,/);
    await page.locator('svg.closeup g.culprit').click();
    expect(await page.locator('#partial-view').innerText()).toContain('No linearization the checker found includes #');
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(errors).toEqual([]);
  });
});

describe('report in Chromium: 5000 ops with faults', () => {
  it('draws, zooms with the wheel and pans by dragging', async () => {
    const history = syntheticHistory({ ops: 5000, concurrency: 5, keys: 3 });
    const t0 = Date.now();
    await open('big', renderReport({ history, result: { valid: true, model: 'register', ops: 5000, partitions: 3, ms: 1, parts: [] }, test: { concurrency: 5 } }));
    const loadMs = Date.now() - t0;
    const drawMs = await page.evaluate(() => {
      const t = window.tenrec.timeline;
      const s = performance.now();
      for (let i = 0; i < 20; i++) t.setView(i * 0.5, 27 - i * 0.5);
      return (performance.now() - s) / 20;
    });
    console.log(`report 5000 ops: render+load ${loadMs} ms, timeline redraw ${drawMs.toFixed(1)} ms/frame`);
    expect((await pixelCensus('timeline-canvas')).green).toBeGreaterThan(5000);
    await page.locator('#zoom-reset').click();
    const canvas = (await page.locator('#timeline-canvas').boundingBox())!;
    const full = await page.evaluate(() => window.tenrec.timeline.view);
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 100);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((span) => { const v = window.tenrec.timeline.view; return v.t1 - v.t0 < span; }, full.t1 - full.t0);
    const zoomed = await page.evaluate(() => window.tenrec.timeline.view);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width / 2 - 200, canvas.y + 100, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction((z) => window.tenrec.timeline.view.t0 > z, zoomed.t0);
    // Fault bands are drawn behind the ops: the partition's purple tint is present.
    const hasBand = await page.evaluate(() => window.tenrec.data.bands.map((b: any) => b.kind));
    expect(hasBand).toEqual(['kill', 'partition', 'pause']);
    expect(errors).toEqual([]);
    await page.locator('#zoom-reset').click();
    await page.screenshot({ path: path.join(shots, 'big.png'), fullPage: true });
  });
});
