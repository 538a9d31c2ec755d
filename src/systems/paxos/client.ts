// The workload client: one HTTP request per operation against a node of the cluster API
// (docs/cluster-api.md), classified honestly. `fail` only when the op surely did not
// happen (refused before sending, 503 not-leader, a 4xx rejection, a 409 compare failure — recorded
// as error "compare-failed", which the checker reads like Jepsen's :fail :cas); anything that may
// have reached the cluster without an answer — timeout, reset, 5xx — is `info`.
import http from 'node:http';

import type { ClientOp, Completion } from '../../system/client.ts';

export type { ClientOp, Completion };

export interface DedupIds {
  clientId: string;
  requestId: string;
}

export interface ClientOptions {
  /** Give up waiting after this long; the op's outcome is then unknown (`info`). */
  timeoutMs: number;
  agent?: http.Agent;
}

/** A keep-alive agent shared by all workers of a run. */
export function createAgent(maxSockets = 256): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 1000 });
}

interface Request {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: unknown;
}

function toRequest(op: ClientOp): Request {
  const key = encodeURIComponent(op.key ?? 'default');
  switch (op.f) {
    case 'read':
      return { method: 'GET', path: `/kv/${key}` };
    case 'write':
      return { method: 'PUT', path: `/kv/${key}`, body: { value: op.value } };
    case 'inc':
      return { method: 'POST', path: `/kv/${key}/inc`, body: { delta: op.value ?? 1 } };
    case 'cas': {
      const [expected, next] = op.value as [unknown, unknown];
      return { method: 'POST', path: `/kv/${key}/cas`, body: { expected, new: next } };
    }
    default:
      throw new Error(`the HTTP client cannot invoke f=${op.f}`);
  }
}

/** Errors raised before the request could have left this process: the op surely did not happen. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED']);

function classify(op: ClientOp, status: number, body: Record<string, unknown>): Completion {
  const error = typeof body.error === 'string' ? body.error : undefined;
  if (status === 200) {
    if (op.f === 'cas') return { type: 'ok', value: op.value };
    return { type: 'ok', value: body.value ?? null };
  }
  if (status === 409 && op.f === 'cas') return { type: 'fail', value: op.value, error: 'compare-failed' };
  if (status === 503) return { type: 'fail', value: op.value, error: error ?? 'not-leader' };
  if (status === 504) return { type: 'info', value: op.value, error: error ?? 'timeout' };
  if (status >= 500) return { type: 'info', value: op.value, error: error ?? `http-${status}` };
  // Any other 4xx: the node rejected the request outright.
  return { type: 'fail', value: op.value, error: error ?? `http-${status}` };
}

/** Invokes one op on the node at `baseUrl` and classifies the outcome. Never throws for network trouble. */
export function invokeHttp(baseUrl: string, op: ClientOp, ids: DedupIds | undefined, o: ClientOptions): Promise<Completion> {
  const req = toRequest(op);
  const url = new URL(req.path, baseUrl);
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (ids) {
    headers['client-id'] = ids.clientId;
    headers['request-id'] = ids.requestId;
  }
  return new Promise<Completion>((resolve) => {
    let settled = false;
    const finish = (c: Completion) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(c);
    };
    const r = http.request(
      { hostname: url.hostname, port: url.port, path: url.pathname, method: req.method, headers, agent: o.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', () => finish({ type: 'info', value: op.value, error: 'reset' }));
        res.on('end', () => {
          let body: Record<string, unknown> = {};
          try {
            const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
            if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
          } catch {
            // A 200 we cannot read tells us the op happened but not its result: unknown.
            if (res.statusCode === 200) return finish({ type: 'info', value: op.value, error: 'bad-response' });
          }
          finish(classify(op, res.statusCode ?? 0, body));
        });
      },
    );
    const timer = setTimeout(() => {
      finish({ type: 'info', value: op.value, error: 'timeout' });
      r.destroy();
    }, o.timeoutMs);
    r.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code && NOT_SENT_CODES.has(err.code)) finish({ type: 'fail', value: op.value, error: 'connection-refused' });
      else finish({ type: 'info', value: op.value, error: err.code === 'ECONNRESET' ? 'reset' : (err.code ?? err.message) });
    });
    if (payload !== undefined) r.write(payload);
    r.end();
  });
}
