import { describe, it, expect, afterEach } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createAgent, invokeHttp } from '../../src/systems/paxos/client.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function fakeNode(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function reply(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const opts = { timeoutMs: 300 };

describe('HTTP client classification', () => {
  it('ok carries the value; cas ok carries [expected, new]; dedup headers are sent', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const url = await fakeNode((req, res) => {
      seen.push(req.headers);
      reply(res, 200, { value: 7 });
    });
    const agent = createAgent();
    closers.push(async () => agent.destroy());
    expect(await invokeHttp(url, { f: 'read', key: 'k0', value: null }, undefined, { ...opts, agent })).toEqual({ type: 'ok', value: 7 });
    expect(await invokeHttp(url, { f: 'inc', key: 'k0', value: 1 }, { clientId: 'c1', requestId: '9' }, { ...opts, agent }))
      .toEqual({ type: 'ok', value: 7 });
    expect(await invokeHttp(url, { f: 'cas', key: 'k0', value: [1, 2] }, undefined, { ...opts, agent })).toEqual({ type: 'ok', value: [1, 2] });
    expect(seen[1]!['client-id']).toBe('c1');
    expect(seen[1]!['request-id']).toBe('9');
  });

  it('409 cas mismatch and 503 not-leader are fail', async () => {
    const url = await fakeNode((req, res) => {
      if (req.url?.endsWith('/cas')) reply(res, 409, { value: 3 });
      else reply(res, 503, { error: 'not-leader', leader: 'n2' });
    });
    expect(await invokeHttp(url, { f: 'cas', key: 'k', value: [1, 2] }, undefined, opts)).toMatchObject({ type: 'fail', error: 'compare-failed' });
    expect(await invokeHttp(url, { f: 'write', key: 'k', value: 1 }, undefined, opts)).toMatchObject({ type: 'fail', error: 'not-leader' });
  });

  it('a refused connection is fail (nothing was sent)', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    expect(await invokeHttp(`http://127.0.0.1:${port}`, { f: 'inc', key: 'k', value: 1 }, undefined, opts))
      .toMatchObject({ type: 'fail', error: 'connection-refused' });
  });

  it('a timeout, a reset after sending, and a 5xx are info', async () => {
    const url = await fakeNode((req, res) => {
      if (req.url === '/kv/slow') return; // never answers
      if (req.url === '/kv/reset') return req.socket.destroy();
      reply(res, 500, { error: 'unknown' });
    });
    expect(await invokeHttp(url, { f: 'read', key: 'slow', value: null }, undefined, opts)).toMatchObject({ type: 'info', error: 'timeout' });
    expect(await invokeHttp(url, { f: 'read', key: 'reset', value: null }, undefined, opts)).toMatchObject({ type: 'info', error: 'reset' });
    expect(await invokeHttp(url, { f: 'write', key: 'x', value: 1 }, undefined, opts)).toMatchObject({ type: 'info', error: 'unknown' });
  });
});
