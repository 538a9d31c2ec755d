// The client HTTP API of one node, exactly as docs/cluster-api.md describes it.
// It only translates: HTTP requests become ClientRequests handed to the node, and the core's
// ClientResults become status codes. A request the core does not answer in time gets 504: the
// operation may or may not have happened, which is what the tester must record.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ClientRequest, ClientResult, Command } from '../types.ts';
import { FailpointError, parseFailpoint, type Failpoints } from './failpoints.ts';

export interface HttpApiOptions {
  host: string;
  port: number;
  /** Hand a request to the core; its result comes back through HttpApi.reply(). */
  submit: (request: ClientRequest) => void;
  status: () => unknown;
  /**
   * The admin API (/admin/failpoints), open only to requests carrying the cluster's ownership
   * token in the `tenrec-token` header; absent: no admin API at all.
   */
  admin?: { token: string; failpoints: Failpoints };
  /** Answer 504 when the core has not replied after this long. */
  timeoutMs: number;
}

const MAX_BODY_BYTES = 64 * 1024;

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface Pending {
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest(413, `body larger than ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJsonObject(text: string, allowEmpty: boolean): Record<string, unknown> {
  if (text.trim() === '') {
    if (allowEmpty) return {};
    throw new BadRequest(400, 'request body must be a JSON object');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequest(400, 'request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequest(400, 'request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function integerField(body: Record<string, unknown>, field: string, fallback?: number): number {
  const v = body[field];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new BadRequest(400, `"${field}" must be an integer`, { field });
  }
  return v;
}

type Route = { kind: 'status' } | { kind: 'failpoints' } | { kind: 'members' } | { kind: 'key'; key: string; action: 'value' | 'inc' | 'cas' };

function route(url: string): Route | null {
  const path = url.split('?', 1)[0]!;
  if (path === '/status') return { kind: 'status' };
  if (path === '/admin/failpoints') return { kind: 'failpoints' };
  if (path === '/admin/members') return { kind: 'members' };
  const m = /^\/kv\/([^/]+)(?:\/(inc|cas))?$/.exec(path);
  if (!m) return null;
  let key: string;
  try {
    key = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return { kind: 'key', key, action: (m[2] as 'inc' | 'cas' | undefined) ?? 'value' };
}

const MAX_ID = 128;
const ID_RE = new RegExp(`^[\\x21-\\x7e]{1,${MAX_ID}}$`);

const ALLOWED: Record<string, string> = { status: 'GET', failpoints: 'GET, POST, DELETE', members: 'POST', value: 'GET, PUT', inc: 'POST', cas: 'POST' };

/** A membership change waits for the learner to catch up and two slots to be chosen. */
const MEMBER_CHANGE_TIMEOUT_MS = 10_000;

export function resultToHttp(result: ClientResult): { status: number; body: unknown } {
  if (result.ok) return { status: 200, body: { value: result.value } };
  switch (result.error) {
    case 'cas-mismatch':
      return { status: 409, body: { error: 'cas-mismatch', value: result.value } };
    case 'out-of-range':
      return { status: 400, body: { error: 'out-of-range', value: result.value, message: 'the result would leave the safe integer range ±(2^53 - 1); nothing changed' } };
    case 'request-id-reused':
      return { status: 409, body: { error: 'request-id-reused', message: result.message } };
    case 'not-leader':
      return { status: 503, body: { error: 'not-leader', leader: result.leader } };
    case 'member-change-refused':
      return { status: 409, body: { error: 'member-change-refused', message: result.message } };
    case 'unknown':
      return { status: 500, body: { error: 'unknown', message: result.message } };
  }
}

export class HttpApi {
  private server: Server | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;

  constructor(private readonly options: HttpApiOptions) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (res.headersSent) return;
        if (err instanceof BadRequest) send(res, err.status, { error: err.message, ...err.extra });
        else send(res, 500, { error: 'internal', message: err instanceof Error ? err.message : String(err) });
      });
    });
    // Clients (the workload, the bench) hold connections open across many requests.
    server.keepAliveTimeout = 60_000;
    server.headersTimeout = 65_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.options.host, port: this.options.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private checkAdmin(req: IncomingMessage): NonNullable<HttpApiOptions['admin']> {
    const admin = this.options.admin;
    if (!admin) throw new BadRequest(404, 'this node has no admin API (it was started without an ownership token)');
    if (req.headers['tenrec-token'] !== admin.token) {
      req.resume();
      throw new BadRequest(403, 'the admin API needs the header tenrec-token with the cluster\'s ownership token');
    }
    return admin;
  }

  /** POST /admin/members {"op": "add" | "remove", "node": "n4"}: answered once the change is made. */
  private async members(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.checkAdmin(req);
    const body = parseJsonObject(await readBody(req), false);
    if (body.op !== 'add' && body.op !== 'remove') throw new BadRequest(400, '"op" must be "add" or "remove"', { field: 'op' });
    if (typeof body.node !== 'string' || !ID_RE.test(body.node)) throw new BadRequest(400, `"node" must be a node id of 1 to ${MAX_ID} printable characters`, { field: 'node' });
    this.await(res, { op: body.op === 'add' ? 'add-member' : 'remove-member', node: body.node }, {}, MEMBER_CHANGE_TIMEOUT_MS);
  }

  private async failpoints(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const admin = this.checkAdmin(req);
    if (method === 'GET') {
      req.resume();
      return send(res, 200, admin.failpoints.list());
    }
    if (method === 'DELETE') {
      req.resume();
      admin.failpoints.disarmAll();
      return send(res, 200, admin.failpoints.list());
    }
    let parsed;
    try {
      parsed = parseFailpoint(parseJsonObject(await readBody(req), false));
    } catch (err) {
      if (err instanceof FailpointError) throw new BadRequest(400, err.message);
      throw err;
    }
    admin.failpoints.arm(parsed.point, parsed.act);
    send(res, 200, admin.failpoints.list());
  }

  get port(): number {
    const address = this.server?.address();
    return address && typeof address !== 'string' ? address.port : this.options.port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const r = route(req.url ?? '/');
    if (r === null) throw new BadRequest(404, `no such route: ${req.method} ${req.url}`);
    const method = req.method ?? 'GET';
    const allowed = ALLOWED[r.kind === 'key' ? r.action : r.kind]!;
    if (!allowed.split(', ').includes(method)) {
      req.resume();
      send(res, 405, { error: `method ${method} not allowed here`, allowed }, { allow: allowed });
      return;
    }
    if (r.kind === 'status') {
      req.resume();
      send(res, 200, this.options.status());
      return;
    }
    if (r.kind === 'failpoints') return this.failpoints(req, res, method);
    if (r.kind === 'members') return this.members(req, res);
    let command: Command;
    if (method === 'GET') {
      req.resume();
      command = { op: 'read', key: r.key };
    } else {
      const text = await readBody(req);
      if (r.action === 'value') {
        command = { op: 'write', key: r.key, value: integerField(parseJsonObject(text, false), 'value') };
      } else if (r.action === 'inc') {
        command = { op: 'inc', key: r.key, delta: integerField(parseJsonObject(text, true), 'delta', 1) };
      } else {
        const body = parseJsonObject(text, false);
        command = { op: 'cas', key: r.key, expected: integerField(body, 'expected'), new: integerField(body, 'new') };
      }
    }
    const clientId = req.headers['client-id'];
    const requestId = req.headers['request-id'];
    if ((clientId === undefined) !== (requestId === undefined)) {
      throw new BadRequest(400, 'headers client-id and request-id must be given together');
    }
    const session: Pick<ClientRequest, 'clientId' | 'requestId'> = {};
    if (typeof clientId === 'string' && typeof requestId === 'string') {
      // Sessions are bounded in number (the state machine's table); ids are bounded in size so a
      // client cannot make every replica hold (and every snapshot carry) kilobytes per session.
      if (!ID_RE.test(clientId)) throw new BadRequest(400, `header client-id must be 1 to ${MAX_ID} printable characters`);
      if (!ID_RE.test(requestId)) throw new BadRequest(400, `header request-id must be 1 to ${MAX_ID} printable characters`);
      session.clientId = clientId;
      session.requestId = requestId;
    }
    this.await(res, command, session, this.options.timeoutMs);
  }

  /** Hand the command to the core and hold the response until it answers (or 504 after timeoutMs). */
  private await(res: ServerResponse, command: ClientRequest['command'], session: Pick<ClientRequest, 'clientId' | 'requestId'>, timeoutMs: number): void {
    const id = String(this.nextId++);
    const request: ClientRequest = { id, command, ...session };
    const timer = setTimeout(() => {
      if (this.pending.delete(id)) send(res, 504, { error: 'timeout' });
    }, timeoutMs);
    this.pending.set(id, { res, timer });
    // A client that hangs up gives up on its answer; forget it so the map does not grow.
    res.on('close', () => {
      const p = this.pending.get(id);
      if (p && p.res === res) {
        clearTimeout(p.timer);
        this.pending.delete(id);
      }
    });
    this.options.submit(request);
  }

  /** Deliver the core's answer to the waiting HTTP request, if it is still waiting. */
  reply(id: string, result: ClientResult): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    const { status, body } = resultToHttp(result);
    send(p.res, status, body);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Stop accepting, answer whatever still waits as outcome-unknown, and close connections. */
  async close(): Promise<void> {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      send(p.res, 500, { error: 'unknown', message: 'node shutting down' });
    }
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
