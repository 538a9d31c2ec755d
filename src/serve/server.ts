// `tenrec serve`: a small web UI over the results directory. Lists runs from the index, opens each
// run's report and files. Read-only, GET/HEAD only, and never serves anything outside the root.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { getRun, INDEX_FILE, listRuns, type RunFilters } from '../store/index-db.ts';
import { UserError } from '../errors/user-error.ts';
import { dirPage, errorPage, runListPage, runPage } from './pages.ts';
import { relativeUrlPath, resolveUnderRoot } from './safe-path.ts';

export interface ServeOptions {
  /** The results directory (holds tenrec.db and the run directories). */
  results: string;
  port: number;
  host: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.edn': 'text/plain; charset=utf-8',
  '.xml': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'text/plain; charset=utf-8',
};

// The UI's own pages: no scripts, no framing. Files from runs (reports, logs) are sandboxed so
// a page under results/ cannot act as the UI's origin; the report's scripts still run.
const UI_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
const FILE_HEADERS = { 'content-security-policy': 'sandbox allow-scripts', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

function send(res: http.ServerResponse, status: number, body: string | Buffer, type: string, headers: Record<string, string> = UI_HEADERS, head = false): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  res.end(head ? undefined : body);
}

/**
 * A file streamed, never read whole. Opened without following a link and checked to be the very
 * file that was resolved under the root, so a swap after the check serves nothing else.
 */
function sendFile(res: http.ServerResponse, file: string, checked: fs.Stats, type: string, head: boolean): void {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return send(res, 404, 'no such file\n', 'text/plain; charset=utf-8');
  }
  const st = fs.fstatSync(fd);
  if (!st.isFile() || st.ino !== checked.ino || st.dev !== checked.dev) {
    fs.closeSync(fd);
    return send(res, 403, 'not the file that was checked\n', 'text/plain; charset=utf-8');
  }
  res.writeHead(200, { 'content-type': type, 'content-length': st.size, 'cache-control': 'no-store', ...FILE_HEADERS });
  if (head) {
    fs.closeSync(fd);
    res.end();
    return;
  }
  const stream = fs.createReadStream('', { fd, autoClose: true });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function listFiles(dir: string, prefix = '', depth = 0): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) {
      if (depth < 2) out.push(...listFiles(path.join(dir, e.name), `${prefix}${e.name}/`, depth + 1));
    } else out.push(`${prefix}${e.name}`);
  }
  return out;
}

export function createHandler(results: string): http.RequestListener {
  const root = path.resolve(results);
  const hasIndex = () => fs.existsSync(path.join(root, INDEX_FILE));

  return (req, res) => {
    const head = req.method === 'HEAD';
    const fail = (status: number, message: string) => send(res, status, errorPage(status, message), 'text/html; charset=utf-8', UI_HEADERS, head);
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return fail(405, 'read-only: GET and HEAD only');
      }
      const rawUrl = req.url ?? '/';
      if (!rawUrl.startsWith('/')) return fail(400, 'bad request target');
      let url: URL;
      try {
        url = new URL(rawUrl, 'http://localhost');
      } catch {
        return fail(400, 'bad URL');
      }
      // Route on the raw path: URL() would already have folded `/files/../x` into `/x`.
      const rawPath = rawUrl.split('?')[0]!;

      if (rawPath === '/' || rawPath === '/api/runs') {
        const verdict = url.searchParams.get('verdict') || undefined;
        if (verdict && !['valid', 'invalid', 'unknown'].includes(verdict)) return fail(400, 'verdict must be valid, invalid or unknown');
        const bug = url.searchParams.get('bug') || undefined;
        const limitText = url.searchParams.get('limit');
        const limit = limitText === null ? 200 : Number(limitText);
        if (!Number.isInteger(limit) || limit < 1) return fail(400, 'limit must be a positive integer');
        const filters: RunFilters = { limit, ...(verdict ? { verdict: verdict as RunFilters['verdict'] } : {}), ...(bug ? { bug } : {}) };
        const rows = hasIndex() ? await listRuns(root, filters) : [];
        if (rawPath === '/api/runs') return send(res, 200, JSON.stringify(rows), 'application/json; charset=utf-8', UI_HEADERS, head);
        const listed = rows.map((row) => ({ row, filesPath: relativeUrlPath(root, row.dir) }));
        return send(res, 200, runListPage(listed, { ...(verdict ? { verdict } : {}), ...(bug ? { bug } : {}) }), 'text/html; charset=utf-8', UI_HEADERS, head);
      }

      const runMatch = /^\/runs\/(\d+)\/?$/.exec(rawPath);
      if (runMatch) {
        const row = hasIndex() ? await getRun(root, Number(runMatch[1])) : undefined;
        if (!row || row.id !== Number(runMatch[1])) return fail(404, `no run ${runMatch[1]} in the index`);
        const filesPath = relativeUrlPath(root, row.dir);
        const files = filesPath !== null && fs.existsSync(row.dir) ? listFiles(row.dir) : [];
        return send(res, 200, runPage(row, filesPath, files), 'text/html; charset=utf-8', UI_HEADERS, head);
      }

      if (rawPath === '/files' || rawPath.startsWith('/files/')) {
        const rest = rawPath.slice('/files'.length);
        const r = resolveUnderRoot(root, rest);
        if (!r.ok) return fail(r.status, r.status === 404 ? 'no such file' : r.status === 403 ? 'outside the results directory' : 'bad path');
        if (r.stat.isDirectory()) {
          if (!rawPath.endsWith('/')) {
            res.writeHead(301, { location: `${rawPath}/` });
            return res.end();
          }
          const entries = fs.readdirSync(r.file, { withFileTypes: true })
            .filter((e) => e.name !== INDEX_FILE && !e.name.startsWith(`${INDEX_FILE}-`))
            .map((e) => ({ name: e.name, dir: e.isDirectory() }))
            .sort((a, b) => a.name.localeCompare(b.name));
          return send(res, 200, dirPage(rest.replace(/^\//, ''), entries), 'text/html; charset=utf-8', UI_HEADERS, head);
        }
        if (!r.stat.isFile()) return fail(403, 'not a regular file');
        const type = TYPES[path.extname(r.file).toLowerCase()] ?? 'application/octet-stream';
        return sendFile(res, r.file, r.stat, type, head);
      }
      return fail(404, 'no such page');
    })().catch((err: unknown) => {
      if (!res.headersSent) fail(500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
  };
}

export function startServer(opts: ServeOptions): Promise<RunningServer> {
  const server = http.createServer(createHandler(opts.results));
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new UserError(`port ${opts.port} on ${opts.host} is already in use (pick another with --port)`)
        : err.code === 'EADDRNOTAVAIL' ? new UserError(`cannot listen on ${opts.host}: no such local address`)
        : err);
    });
    server.listen(opts.port, opts.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      resolve({
        url: `http://${host}:${port}/`,
        close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}
