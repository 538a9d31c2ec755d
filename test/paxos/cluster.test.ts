import { describe, expect, it } from 'vitest';
import { Harness } from './harness.ts';

const ids = ['n1', 'n2', 'n3'];
const inc = { op: 'inc' as const, key: 'x', delta: 1 };
const read = { op: 'read' as const, key: 'x' };

function withLeader(h: Harness): string {
  h.run(1000);
  const l = h.leader();
  expect(l).toBeDefined();
  return l!;
}

describe('replicas together', () => {
  it('elects one leader that stays while it is healthy', () => {
    const h = new Harness(ids);
    const l = withLeader(h);
    expect([...h.replicas.values()].filter((r) => r.status().role === 'leader')).toHaveLength(1);
    h.run(2000);
    expect(h.leader()).toBe(l);
  });

  it('X = X + 1 twice, kill the leader, and a read through a survivor returns 2', () => {
    const h = new Harness(ids);
    const l = withLeader(h);
    const a = h.request(l, inc, 'c1', '1');
    h.deliverAll();
    const b = h.request(l, inc, 'c1', '2');
    h.deliverAll();
    expect(h.replies.get(a)).toEqual({ ok: true, value: 1 });
    expect(h.replies.get(b)).toEqual({ ok: true, value: 2 });
    h.crash(l);
    h.run(1500);
    const survivor = ids.find((id) => id !== l)!;
    const r = h.request(survivor, read);
    h.run(100);
    expect(h.replies.get(r)).toEqual({ ok: true, value: 2 });
    expect(h.leader()).not.toBe(l);
  });

  it('a follower forwards to the leader and answers its own client; with no leader known it says not-leader', () => {
    const lonely = new Harness(ids);
    const early = lonely.request('n1', inc);
    expect(lonely.replies.get(early)).toEqual({ ok: false, error: 'not-leader', leader: null });

    const h = new Harness(ids);
    const l = withLeader(h);
    const follower = ids.find((id) => id !== l)!;
    const w = h.request(follower, inc);
    h.run(50);
    expect(h.replies.get(w)).toEqual({ ok: true, value: 1 });
    const r = h.request(follower, read);
    h.run(100);
    expect(h.replies.get(r)).toEqual({ ok: true, value: 1 });
  });

  it('applies a re-sent increment (same client and request id) once', () => {
    const h = new Harness(ids);
    const l = withLeader(h);
    const follower = ids.find((id) => id !== l)!;
    const first = h.request(l, inc, 'c9', '1');
    const again = h.request(follower, inc, 'c9', '1');
    h.run(50);
    expect(h.replies.get(first)).toEqual({ ok: true, value: 1 });
    expect(h.replies.get(again)).toEqual({ ok: true, value: 1 });
    const r = h.request(l, read);
    h.run(100);
    expect(h.replies.get(r)).toEqual({ ok: true, value: 1 });
  });

  it('compacts the log into a snapshot and brings a replica that missed it all up to date', () => {
    const h = new Harness(ids, { snapshotEvery: 5 });
    const l = withLeader(h);
    const lagging = ids.find((id) => id !== l)!;
    h.cut.add(lagging);
    for (let i = 0; i < 40; i++) {
      h.request(l, inc, 'c1', String(i + 1));
      h.deliverAll();
    }
    const leaderStatus = h.replicas.get(l)!.status();
    expect(leaderStatus.snapshotIndex).toBeGreaterThan(30);
    // Compaction: the leader's durable log starts with the snapshot and stays short.
    expect(h.disks.get(l)![0]!.type).toBe('snapshot');
    expect(h.disks.get(l)!.length).toBeLessThan(15);
    expect(h.replicas.get(lagging)!.status().appliedIndex).toBeLessThan(5);
    h.cut.clear();
    h.run(300);
    const caught = h.replicas.get(lagging)!;
    expect(caught.status().appliedIndex).toBe(h.replicas.get(l)!.status().appliedIndex);
    expect(caught.digest()).toBe(h.replicas.get(l)!.digest());
    // And it survives a restart from its own (snapshot-based) log.
    h.crash(lagging);
    h.start(lagging);
    expect(h.replicas.get(lagging)!.status().appliedIndex).toBeGreaterThanOrEqual(caught.status().snapshotIndex as number);
  });

  it('a leader cut off from everyone stops serving reads (no stale read); local-read answers anyway', () => {
    for (const bugs of [[], ['local-read' as const]]) {
      const h = new Harness(ids, { bugs });
      const l = withLeader(h);
      h.request(l, inc);
      h.run(50);
      h.cut.add(l);
      h.run(450); // the others elect a new leader and move on, before the old one's lease runs out
      const other = h.leader()!;
      expect(other).toBeDefined();
      expect(h.replicas.get(l)!.status().role).toBe('leader');
      h.request(other, inc);
      h.run(50);
      const stale = h.replicas.get(l)!.step({ type: 'request', request: { id: 'stale', command: read } });
      const answered = stale.replies.find((r) => r.id === 'stale')?.result;
      if (bugs.length === 0) expect(answered === undefined || answered.ok === false).toBe(true);
      else expect(answered).toEqual({ ok: true, value: 1 }); // stale: the register is 2 by now
    }
  });
});
