// The serve UI over a fixture results dir: lists runs, opens reports and files, and refuses every
// way out of results/ (.., encoded .., backslashes, symlinks) with 4xx, never the file.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.ts';
import { insertRun } from '../../src/store/index-db.ts';
import { UserError } from '../../src/errors/user-error.ts';
import { makeResults } from '../report/fixtures/make-results.ts';

const SECRET = 'top-secret-outside-results';
let fx: Awaited<ReturnType<typeof makeResults>>;
let server: RunningServer;
let outside: string;
let hostileId: number;

/** Raw GET (fetch would normalise `..` away before sending). */
function get(rawPath: string, method = 'GET'): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  fx = await makeResults();
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(path.dirname(fx.results), `${path.basename(fx.results)}-secret.txt`), SECRET);
  fs.symlinkSync(outside, path.join(fx.results, 'link-out'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(fx.invalid.dir, 'logs', 'evil.log'));
  // A row whose text fields hold markup, and one whose directory lies outside results/.
  hostileId = await insertRun(fx.results, {
    name: '<script>alert(1)</script>', dir: outside, started_at: '2026-11-28T11:00:00.000Z', finished_at: '2026-11-28T11:00:01.000Z',
    valid: 'unknown', workload: 'register', nemesis: '<img src=x onerror=alert(2)>', faults: '<img src=x onerror=alert(3)>', nodes: 3, bug: null, seed: 3, ops: 0, ok: 0, fail: 0, info: 0,
    duration_ms: 1, campaign_id: '"><b>c</b>', settings_json: '{"x":"</td><script>"}',
  });
  server = await startServer({ results: fx.results, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  fx?.cleanup();
  if (outside) fs.rmSync(outside, { recursive: true, force: true });
  if (fx) fs.rmSync(path.join(path.dirname(fx.results), `${path.basename(fx.results)}-secret.txt`), { force: true });
});

describe('tenrec serve', () => {
  it('lists the runs newest first with verdicts and links, escaping every field', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    const order = [r.body.indexOf('&lt;script&gt;alert(1)'), r.body.indexOf('</span></td><td>register-lost-ack<'), r.body.indexOf('</span></td><td>register<')];
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r.body).toContain('<span class="v invalid">invalid</span>');
    expect(r.body).toContain('href="/files/register-lost-ack/2026-11-28T09-00-00.000Z/report.html"');
    expect(r.body).not.toMatch(/<script>|<img|<b>c/);
    expect(r.body).toContain('outside results/');
    const filtered = await get('/?verdict=invalid');
    expect(filtered.body).toContain('register-lost-ack');
    expect(filtered.body).not.toContain('</span></td><td>register<');
    expect(JSON.parse((await get('/api/runs?verdict=valid')).body).map((x: { id: number }) => x.id)).toEqual([fx.valid.id]);
  });

  it("opens a run's page, its report and its files", async () => {
    const page = await get(`/runs/${fx.invalid.id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('logs/n1.log');
    const report = await get('/files/register-lost-ack/2026-11-28T09-00-00.000Z/report.html');
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(report.headers['content-security-policy']).toBe('sandbox allow-scripts');
    expect(report.body).toContain('id="timeline-canvas"');
    const log = await get('/files/register-lost-ack/2026-11-28T09-00-00.000Z/logs/n1.log');
    expect(log).toMatchObject({ status: 200, body: 'node n1 <started>\n' });
    expect(log.headers['content-type']).toBe('text/plain; charset=utf-8');
    const dir = await get('/files/register-lost-ack/');
    expect(dir.status).toBe(200);
    expect(dir.body).toContain('2026-11-28T09-00-00.000Z/');
    const hostile = await get(`/runs/${hostileId}`);
    expect(hostile.body).not.toMatch(/<script>/);
    expect(hostile.body).toContain('its files are not served');
  });

  it('never serves a path outside results/', async () => {
    const base = path.basename(fx.results);
    const attempts = [
      `/files/../${base}-secret.txt`,
      `/files/%2e%2e/${base}-secret.txt`,
      `/files/%2E%2E%2F${base}-secret.txt`,
      `/files/register/..%2f..%2f${base}-secret.txt`,
      `/files/..%5c${base}-secret.txt`,
      `/files/%252e%252e/${base}-secret.txt`,
      '/files/link-out/secret.txt',
      '/files/link-out/',
      '/files/register-lost-ack/2026-11-28T09-00-00.000Z/logs/evil.log',
      `/files/${encodeURIComponent(path.join(outside, 'secret.txt'))}`,
      '/files//etc/passwd',
      '/files/a%00b',
    ];
    for (const a of attempts) {
      const r = await get(a);
      expect([400, 403, 404], a).toContain(r.status);
      expect(r.body, a).not.toContain(SECRET);
      expect(r.body, a).not.toContain('root:');
    }
    expect((await get('/files/%2e%2e/x')).status).toBe(403);
    expect((await get('/files/link-out/secret.txt')).status).toBe(403);
  });

  it('answers bad requests with 4xx', async () => {
    expect((await get('/files/%zz')).status).toBe(400);
    expect((await get('/?verdict=maybe')).status).toBe(400);
    expect((await get('/?limit=-1')).status).toBe(400);
    expect((await get('/', 'POST')).status).toBe(405);
    expect((await get('/runs/99999')).status).toBe(404);
    expect((await get('/elsewhere')).status).toBe(404);
    expect((await get('/files/tenrec.db')).status).toBe(200); // inside results/, allowed, just not listed
  });

  it('reports a port in use as a user error', async () => {
    const port = Number(new URL(server.url).port);
    await expect(startServer({ results: fx.results, port, host: '127.0.0.1' })).rejects.toThrow(UserError);
  });
});
