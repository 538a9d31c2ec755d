// Failpoints in a real node: the admin API is open only with the cluster's ownership token and
// checks what it is given; an armed `promise-sent` crash fires when the node promises a new
// leader (provoked here by killing the leader), and the node's log says so.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaxosDb } from '../../../src/systems/paxos/db.ts';
import { newToken } from '../../../src/process/ownership.ts';
import { procState } from '../../../src/process/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'tenrec-failpoints-'));
const token = newToken();
const db = new PaxosDb({ nodes: 3, dir, bugs: [], token });
afterAll(async () => {
  await db.teardown();
  rmSync(dir, { recursive: true, force: true });
});

describe('failpoints', () => {
  it('the admin API refuses requests without the token and bodies it does not know', { timeout: 60_000 }, async () => {
    await db.setup();
    const url = `${db.nodes()[0]!.url}/admin/failpoints`;
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { 'tenrec-token': 'nope' } })).status).toBe(403);
    const bad = await fetch(url, { method: 'POST', headers: { 'tenrec-token': token }, body: JSON.stringify({ point: 'somewhere', action: 'crash' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('"point" must be one of promise-sent, leader-elected, reply-sent');
    const noMs = await fetch(url, { method: 'POST', headers: { 'tenrec-token': token }, body: JSON.stringify({ point: 'leader-elected', action: 'delay' }) });
    expect(((await noMs.json()) as { error: string }).error).toBe('"ms" must be an integer from 1 to 60000 for a delay');
    const listed = await fetch(url, { headers: { 'tenrec-token': token } });
    expect(await listed.json()).toEqual({ armed: {}, hits: [] });
    // The membership admin route is guarded the same way and checks its body.
    const members = `${db.nodes()[0]!.url}/admin/members`;
    expect((await fetch(members, { method: 'POST', body: '{"op":"add","node":"n4"}' })).status).toBe(403);
    const op = await fetch(members, { method: 'POST', headers: { 'tenrec-token': token }, body: '{"op":"grow","node":"n4"}' });
    expect(op.status).toBe(400);
    expect(((await op.json()) as { error: string }).error).toBe('"op" must be "add" or "remove"');
    const node = await fetch(members, { method: 'POST', headers: { 'tenrec-token': token }, body: '{"op":"add","node":""}' });
    expect(node.status).toBe(400);
    expect((await fetch(members, { headers: { 'tenrec-token': token } })).status).toBe(405);
  });

  it('an armed promise-sent crash fires when the node promises a new leader', { timeout: 60_000 }, async () => {
    const leader = await db.leader();
    const followers = db.nodes().map((n) => n.id).filter((id) => id !== leader);
    for (const f of followers) await db.armFailpoint(f, 'promise-sent', { action: 'crash' });
    await db.kill(leader!);
    const pid = (id: string) => (JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as { nodes: { id: string; pid: number }[] }).nodes.find((n) => n.id === id)!.pid;
    const deadline = Date.now() + 15_000;
    let crashed: string | undefined;
    while (!crashed && Date.now() < deadline) {
      crashed = followers.find((f) => procState(pid(f)) === 'dead');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(crashed).toBeDefined();
    expect(db.readLog(crashed!)).toMatch(/failpoint promise-sent fired: crash/);
  });

  it('an armed leader-elected delay holds the new leader\'s phase 2: writes wait, then go through', { timeout: 60_000 }, async () => {
    for (const id of db.nodes().map((n) => n.id)) await db.restart(id);
    await db.waitHealthy(20_000);
    const leader = (await db.leader())!;
    const followers = db.nodes().map((n) => n.id).filter((id) => id !== leader);
    for (const f of followers) await db.armFailpoint(f, 'leader-elected', { action: 'delay', ms: 1500 });
    await db.kill(leader);
    let elected: string | null = null;
    const deadline = Date.now() + 15_000;
    while ((!elected || elected === leader) && Date.now() < deadline) {
      elected = await db.leader();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(elected && followers.includes(elected)).toBe(true);
    const url = db.nodes().find((n) => n.id === elected)!.url;
    const t0 = Date.now();
    const r = await fetch(`${url}/kv/d`, { method: 'PUT', body: JSON.stringify({ value: 5 }), signal: AbortSignal.timeout(10_000) });
    const waited = Date.now() - t0;
    expect(r.status).toBe(200);
    // Held until the delay ran out (1.5 s from the election, some of it spent finding the leader).
    expect(waited).toBeGreaterThan(500);
    expect(db.readLog(elected!)).toMatch(/failpoint leader-elected fired: delay 1500 ms/);
  });

  it('an armed reply-sent crash kills the leader right after it acknowledged a write, and the write survives', { timeout: 60_000 }, async () => {
    for (const id of db.nodes().map((n) => n.id)) await db.restart(id);
    await db.waitHealthy(20_000);
    const leader = (await db.leader())!;
    const url = db.nodes().find((n) => n.id === leader)!.url;
    await db.armFailpoint(leader, 'reply-sent', { action: 'crash' });
    const r = await fetch(`${url}/kv/r/inc`, { method: 'POST', body: '{"delta": 3}', signal: AbortSignal.timeout(5000) });
    // The answer got out; the leader is gone right after it.
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ value: 3 });
    const pid = (JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as { nodes: { id: string; pid: number }[] }).nodes.find((n) => n.id === leader)!.pid;
    const deadline = Date.now() + 5000;
    while (procState(pid) !== 'dead' && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(procState(pid)).toBe('dead');
    expect(db.readLog(leader)).toMatch(/failpoint reply-sent fired: crash/);
    // A new leader's recovery finds what the dead one acknowledged.
    const survivor = db.nodes().find((n) => n.id !== leader)!;
    let value: unknown;
    for (let i = 0; i < 100 && value === undefined; i++) {
      const g = await fetch(`${survivor.url}/kv/r`).catch(() => null);
      if (g?.status === 200) value = ((await g.json()) as { value: number }).value;
      else await new Promise((res) => setTimeout(res, 100));
    }
    expect(value).toBe(3);
  });
});
