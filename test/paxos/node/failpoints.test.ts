// Failpoints in a real node: the admin API is open only with the cluster's ownership token and
// checks what it is given; an armed `promise-sent` crash fires when the node promises a new
// leader (provoked here by killing the leader), and the node's log says so; a before-apply crash
// loses nothing acknowledged; a snapshot-written crash leaves the compaction's new file beside the
// old log, an error there stops the node, and either way it starts again on the old log with
// nothing lost.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

const pidOf = (clusterDir: string, id: string): number =>
  (JSON.parse(readFileSync(join(clusterDir, 'cluster.json'), 'utf8')) as { nodes: { id: string; pid: number }[] }).nodes.find((n) => n.id === id)!.pid;

async function waitDead(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (procState(pid) !== 'dead' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return procState(pid) === 'dead';
}

/** A linearizable read of `key` through the node at `url`, retried while it is not ready yet. */
async function readThrough(url: string, key: string): Promise<unknown> {
  for (let i = 0; i < 100; i++) {
    const g = await fetch(`${url}/kv/${key}`).catch(() => null);
    if (g?.status === 200) return ((await g.json()) as { value: number }).value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/**
 * Every node up with nothing armed. A case leaves points armed on nodes that are still running
 * (the promise-sent case needs only one of its two armed followers to fire), and restart() leaves
 * a running node alone: such a node would fire in the next case's election, crash, and be dead
 * when that case arms it.
 */
async function freshCluster(): Promise<void> {
  for (const n of db.nodes()) if (procState(pidOf(dir, n.id)) !== 'dead') await db.disarmFailpoints(n.id);
  for (const n of db.nodes()) await db.restart(n.id);
  await db.waitHealthy(20_000);
}

/** The leader every running node names, once they all agree and it calls itself leader. */
async function agreedLeader(timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const views = await Promise.all(
      db.nodes().map(async (n) => {
        const r = await fetch(`${n.url}/status`, { signal: AbortSignal.timeout(500) }).catch(() => null);
        return r?.status === 200 ? { id: n.id, ...((await r.json()) as { role?: string; leader?: string }) } : null;
      }),
    );
    const named = views[0]?.leader;
    if (named && views.every((v) => v?.leader === named) && views.find((v) => v?.id === named)?.role === 'leader') return named;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no leader all nodes agree on within ${timeoutMs} ms`);
}

describe('failpoints', () => {
  it('the admin API refuses requests without the token and bodies it does not know', { timeout: 60_000 }, async () => {
    await db.setup();
    const url = `${db.nodes()[0]!.url}/admin/failpoints`;
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { 'tenrec-token': 'nope' } })).status).toBe(403);
    const bad = await fetch(url, { method: 'POST', headers: { 'tenrec-token': token }, body: JSON.stringify({ point: 'somewhere', action: 'crash' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('"point" must be one of promise-sent, leader-elected, reply-sent, snapshot-written, before-apply');
    const noIo = await fetch(url, { method: 'POST', headers: { 'tenrec-token': token }, body: JSON.stringify({ point: 'promise-sent', action: 'error' }) });
    expect(noIo.status).toBe(400);
    expect(((await noIo.json()) as { error: string }).error).toBe('"error" can be armed only at snapshot-written: promise-sent has no I/O operation to fail');
    const noMs = await fetch(url, { method: 'POST', headers: { 'tenrec-token': token }, body: JSON.stringify({ point: 'leader-elected', action: 'delay' }) });
    expect(((await noMs.json()) as { error: string }).error).toBe('"ms" must be an integer from 1 to 60000 for a delay');
    const badCrash = await fetch(url, { method: 'POST', headers: { 'tenrec-token': token }, body: JSON.stringify({ point: 'leader-elected', action: 'crash', ms: -5 }) });
    expect(((await badCrash.json()) as { error: string }).error).toBe('"ms" must be an integer from 0 to 60000 for a crash');
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
    await freshCluster();
    // Right after three restarts one node can still call itself leader while another has already
    // won a higher ballot: arming "the followers" of the stale one would arm the real leader too
    // late to fire. So wait until every node names the same leader and that node says it leads.
    const leader = await agreedLeader(10_000);
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
    // On failure, what every node logged says who led when and whether the point fired.
    const logs = () => db.nodes().map((n) => `--- ${n.id}\n${db.readLog(n.id).split('\n').slice(-12).join('\n')}`).join('\n');
    expect(r.status, logs()).toBe(200);
    // Held until the delay ran out (1.5 s from the election, some of it spent finding the leader).
    expect(waited, `answered after ${waited} ms\n${logs()}`).toBeGreaterThan(500);
    expect(db.readLog(elected!)).toMatch(/failpoint leader-elected fired: delay 1500 ms/);
  });

  it('an armed leader-elected crash with ms kills the new leader that long after its election, not before', { timeout: 60_000 }, async () => {
    await freshCluster();
    const leader = await agreedLeader(10_000);
    const followers = db.nodes().map((n) => n.id).filter((id) => id !== leader);
    for (const f of followers) await db.armFailpoint(f, 'leader-elected', { action: 'crash', ms: 400 });
    const pids = new Map(followers.map((f) => [f, pidOf(dir, f)]));
    await db.kill(leader);
    let elected: string | null = null;
    const deadline = Date.now() + 15_000;
    while ((!elected || elected === leader) && Date.now() < deadline) {
      elected = await db.leader();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(elected && followers.includes(elected)).toBe(true);
    expect(await waitDead(pids.get(elected!)!, 5000)).toBe(true);
    const died = Date.now();
    expect(db.readLog(elected!)).toMatch(/failpoint leader-elected fired: crash after 400 ms/);
    // The node's log stamps each line: from the firing to the death (seen within a 20 ms poll).
    const fired = /^(\S+) \S+ failpoint leader-elected fired/m.exec(db.readLog(elected!));
    expect(fired).not.toBeNull();
    expect(died - Date.parse(fired![1]!)).toBeGreaterThanOrEqual(390);
  });

  it('an armed reply-sent crash kills the leader right after it acknowledged a write, and the write survives', { timeout: 60_000 }, async () => {
    await freshCluster();
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

  it('an armed before-apply crash kills a follower in the step that learns a write chosen; started again, it serves the write', { timeout: 60_000 }, async () => {
    await freshCluster();
    const leader = await agreedLeader(10_000);
    const victim = db.nodes().find((n) => n.id !== leader)!.id;
    await db.armFailpoint(victim, 'before-apply', { action: 'crash' });
    const before = pidOf(dir, victim);
    const r = await fetch(`${db.nodes().find((n) => n.id === leader)!.url}/kv/a`, { method: 'PUT', body: JSON.stringify({ value: 7 }), signal: AbortSignal.timeout(5000) });
    expect(r.status).toBe(200);
    expect(await waitDead(before, 5000)).toBe(true);
    expect(db.readLog(victim)).toMatch(/failpoint before-apply fired: crash/);
    await db.restart(victim);
    expect(await readThrough(db.nodes().find((n) => n.id === victim)!.url, 'a')).toBe(7);
  });

  it('an armed snapshot-written crash stops a node mid-compaction, and an error there stops it too; each time it starts again on the old log and loses nothing', { timeout: 90_000 }, async () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'tenrec-failpoints-snap-'));
    const db2 = new PaxosDb({ nodes: 3, dir: dir2, bugs: [], token: newToken(), nodeArgs: ['--snapshot-every', '20'] });
    try {
      await db2.setup();
      const leader = (await db2.leader())!;
      const victim = db2.nodes().find((n) => n.id !== leader)!.id;
      const url = db2.nodes().find((n) => n.id === leader)!.url;
      const nodeDir = join(dir2, victim);
      let acked = 0;
      for (const act of [{ action: 'crash' }, { action: 'error' }] as const) {
        await db2.armFailpoint(victim, 'snapshot-written', act);
        const before = pidOf(dir2, victim);
        // Every acknowledged write is on a quorum; the follower compacts every 20 applied entries.
        for (let i = 0; i < 200 && procState(before) !== 'dead'; i++) {
          const r = await fetch(`${url}/kv/s/inc`, { method: 'POST', body: '{"delta": 1}', signal: AbortSignal.timeout(5000) });
          if (r.status === 200) acked++;
          await r.body?.cancel();
        }
        expect(await waitDead(before, 5000)).toBe(true);
        expect(db2.readLog(victim)).toMatch(new RegExp(`failpoint snapshot-written fired: ${act.action}`));
        // A crash leaves the new file beside the old log; a failed rename stops the node as any
        // failed log write does, naming the error.
        if (act.action === 'crash') expect(existsSync(join(nodeDir, '.wal.log.tmp'))).toBe(true);
        else expect(db2.readLog(victim)).toMatch(/fatal: .*failpoint snapshot-written: injected I\/O error/);
        const starts = db2.readLog(victim).split(' start pid=').length;
        await db2.restart(victim);
        expect(await db2.waitHealthy(20_000)).toBe(true);
        // Said at start, not looked for on disk: catching up, the node may be compacting again.
        const start = db2.readLog(victim).split(' start pid=')[starts]!.split('\n')[0];
        expect(start).toMatch(/removed an unfinished snapshot file/);
        // The restarted node serves the value every acknowledged write made (a linearizable read).
        const value = await readThrough(db2.nodes().find((n) => n.id === victim)!.url, 's');
        expect(value, `${act.action}: ${acked} increments acknowledged\n${db2.readLog(victim).split('\n').slice(-15).join('\n')}`).toBe(acked);
      }
    } finally {
      await db2.teardown();
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});
