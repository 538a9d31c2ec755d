// Bounded state. Before: the dedup table was never evicted (4,000 increments with new 8 KB client
// ids grew each node to 160–180 MB), and a reused (client id, request id) pair on a different
// command was answered with the first command's result: a write acknowledged that never happened.
import { describe, expect, it } from 'vitest';
import { MAX_SESSIONS, RegisterMachine } from '../../src/systems/paxos/core/state-machine.ts';
import { oneNodeCluster } from './one-node.ts';

describe('the dedup table', () => {
  it('holds at most MAX_SESSIONS clients, evicting the least recently heard in apply order', () => {
    const m = new RegisterMachine();
    for (let c = 0; c < MAX_SESSIONS + 500; c++) m.apply({ command: { op: 'inc', key: 'x', delta: 1 }, clientId: `c${c}`, requestId: '1' });
    expect(m.sessions).toBe(MAX_SESSIONS);
    expect(m.read('x')).toBe(MAX_SESSIONS + 500);
    // The newest client still has its session: a retry applies once.
    expect(m.apply({ command: { op: 'inc', key: 'x', delta: 1 }, clientId: `c${MAX_SESSIONS + 499}`, requestId: '1' })).toEqual({ ok: true, value: MAX_SESSIONS + 500 });
    // The oldest lost it: its retry is a new command (what the docs say a client that outlives its session gets).
    expect(m.apply({ command: { op: 'inc', key: 'x', delta: 1 }, clientId: 'c0', requestId: '1' })).toEqual({ ok: true, value: MAX_SESSIONS + 501 });
    // Two machines fed the same commands evict the same clients (replicas agree).
    const a = new RegisterMachine();
    const b = new RegisterMachine();
    for (let c = 0; c < MAX_SESSIONS + 10; c++) for (const m2 of [a, b]) m2.apply({ command: { op: 'write', key: 'k', value: c }, clientId: `c${c % (MAX_SESSIONS + 7)}`, requestId: String(c) });
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
  });

  it('refuses a reused (client id, request id) pair on a different command instead of answering the old result', () => {
    const m = new RegisterMachine();
    expect(m.apply({ command: { op: 'write', key: 'x', value: 1 }, clientId: 'c', requestId: '7' })).toEqual({ ok: true, value: 1 });
    expect(m.apply({ command: { op: 'write', key: 'x', value: 1 }, clientId: 'c', requestId: '7' })).toEqual({ ok: true, value: 1 });
    expect(m.apply({ command: { op: 'write', key: 'x', value: 42 }, clientId: 'c', requestId: '7' })).toMatchObject({ ok: false, error: 'request-id-reused' });
    expect(m.read('x')).toBe(1);
  });
});

describe('over HTTP', () => {
  const nodeUrl = oneNodeCluster('sessions');

  it('a client id of 8 KB is a 400; a reused pair on another command a 409 naming it', { timeout: 60_000 }, async () => {
    const url = await nodeUrl();
    const big = await fetch(`${url}/kv/x/inc`, { method: 'POST', body: '{"delta":1}', headers: { 'client-id': 'c'.repeat(8192), 'request-id': '1' } });
    expect(big.status).toBe(400);
    expect(((await big.json()) as { error: string }).error).toMatch(/client-id must be 1 to 128 printable characters/);
    const h = { 'client-id': 'alice', 'request-id': '1' };
    expect((await fetch(`${url}/kv/x`, { method: 'PUT', body: '{"value":5}', headers: h })).status).toBe(200);
    const reused = await fetch(`${url}/kv/x`, { method: 'PUT', body: '{"value":42}', headers: h });
    expect(reused.status).toBe(409);
    expect(await reused.json()).toMatchObject({ error: 'request-id-reused' });
    expect(await (await fetch(`${url}/kv/x`)).json()).toEqual({ value: 5 });
  });
});
