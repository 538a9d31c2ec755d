// The HTTP layer against a scripted stand-in for the core (a test double: it answers from a
// plain Map, with no replication), so every status code of cluster-api.md is exercised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpApi } from '../../../src/systems/paxos/node/http-api.ts';
import { freePort } from '../../../src/net/free-port.ts';
import type { ClientRequest } from '../../../src/systems/paxos/types.ts';

let api: HttpApi;
let base: string;
const seen: ClientRequest[] = [];
const store = new Map<string, number>();

beforeAll(async () => {
  const port = await freePort();
  api = new HttpApi({
    host: '127.0.0.1',
    port,
    timeoutMs: 150,
    status: () => ({ id: 'n1', role: 'leader', leader: 'n1' }),
    submit: (req) => {
      seen.push(req);
      const c = req.command;
      if (!('key' in c)) return;
      if (c.key === 'silent') return; // never answered: must time out
      if (c.key === 'follower') {
        queueMicrotask(() => api.reply(req.id, { ok: false, error: 'not-leader', leader: 'n2' }));
        return;
      }
      const cur = store.get(c.key) ?? 0;
      setTimeout(() => {
        if (c.op === 'read') api.reply(req.id, { ok: true, value: cur });
        else if (c.op === 'write') (store.set(c.key, c.value), api.reply(req.id, { ok: true, value: c.value }));
        else if (c.op === 'inc') (store.set(c.key, cur + c.delta), api.reply(req.id, { ok: true, value: cur + c.delta }));
        else if (cur !== c.expected) api.reply(req.id, { ok: false, error: 'cas-mismatch', value: cur });
        else (store.set(c.key, c.new), api.reply(req.id, { ok: true, value: c.new }));
      }, 1);
    },
  });
  await api.start();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await api.close();
});

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method, body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('HTTP client API', () => {
  it('reads 0 for a never-written key, writes, increments (default delta 1) and reads back', async () => {
    expect(await call('GET', '/kv/a')).toEqual({ status: 200, body: { value: 0 } });
    expect(await call('PUT', '/kv/a', '{"value": 5}')).toEqual({ status: 200, body: { value: 5 } });
    expect(await call('POST', '/kv/a/inc', '')).toEqual({ status: 200, body: { value: 6 } });
    expect(await call('POST', '/kv/a/inc', '{"delta": -3}')).toEqual({ status: 200, body: { value: 3 } });
    expect(await call('GET', '/kv/a')).toEqual({ status: 200, body: { value: 3 } });
  });

  it('cas answers 200 with the new value, or 409 with the current value', async () => {
    await call('PUT', '/kv/c', '{"value": 1}');
    expect(await call('POST', '/kv/c/cas', '{"expected": 1, "new": 2}')).toEqual({ status: 200, body: { value: 2 } });
    const miss = await call('POST', '/kv/c/cas', '{"expected": 1, "new": 7}');
    expect(miss.status).toBe(409);
    expect(miss.body.value).toBe(2);
  });

  it('maps not-leader to 503 naming the leader, and an unanswered request to 504 timeout', async () => {
    expect(await call('GET', '/kv/follower')).toEqual({ status: 503, body: { error: 'not-leader', leader: 'n2' } });
    expect(await call('POST', '/kv/silent/inc', '{}')).toEqual({ status: 504, body: { error: 'timeout' } });
  });

  it('rejects bad input with a 4xx JSON error and never asks the core', async () => {
    const before = seen.length;
    const bad: [string, string, string | undefined, number][] = [
      ['PUT', '/kv/a', '{"value": ', 400],
      ['PUT', '/kv/a', '{"value": 1.5}', 400],
      ['PUT', '/kv/a', '{"value": "3"}', 400],
      ['PUT', '/kv/a', '[1]', 400],
      ['PUT', '/kv/a', '', 400],
      ['POST', '/kv/a/inc', '{"delta": null}', 400],
      ['POST', '/kv/a/cas', '{"expected": 1}', 400],
      ['GET', '/nope', undefined, 404],
      ['GET', '/kv/a/b/c', undefined, 404],
      ['DELETE', '/kv/a', undefined, 405],
      ['GET', '/kv/a/inc', undefined, 405],
      ['POST', '/status', '{}', 405],
    ];
    for (const [method, path, body, status] of bad) {
      const r = await call(method, path, body);
      expect(r.status, `${method} ${path} ${body}`).toBe(status);
      expect(typeof r.body.error).toBe('string');
    }
    expect(seen.length).toBe(before);
  });

  it('passes client-id/request-id through for dedup, and wants them together', async () => {
    await call('POST', '/kv/d/inc', '{}', { 'client-id': 'c7', 'request-id': '42' });
    expect(seen.at(-1)).toMatchObject({ clientId: 'c7', requestId: '42', command: { op: 'inc', key: 'd', delta: 1 } });
    expect((await call('POST', '/kv/d/inc', '{}', { 'client-id': 'c7' })).status).toBe(400);
  });

  it('serves /status', async () => {
    expect(await call('GET', '/status')).toEqual({ status: 200, body: { id: 'n1', role: 'leader', leader: 'n1' } });
  });
});
