// Leader leases (core/lease.ts): the follower's promise, the leader's lease reads, and bug
// lease-wall-clock, which times both on the wall clock a clock fault can step.
import { describe, expect, it } from 'vitest';
import { createReplica } from '../../src/systems/paxos/core/index.ts';
import type { BugName, PeerMessage, Ready } from '../../src/systems/paxos/types.ts';

const members = ['n1', 'n2', 'n3'];
type Core = ReturnType<typeof createReplica>;
const from = (core: Core, who: string, message: object) => core.step({ type: 'message', from: who, message: message as PeerMessage });
type Sent = { to: string; type: string; ballot?: unknown; slot?: number; seq?: number };
const sent = (r: Ready): Sent[] => [...r.messages, ...r.unsynced].map((m) => ({ to: m.to, ...(m.message as unknown as Omit<Sent, 'to'>) }));
const read = (core: Core, now: number, wall = now) =>
  core.step({ type: 'request', request: { id: `q${now}`, command: { op: 'read', key: 'k' } }, now, wall }).replies.map((x) => x.result);

/**
 * n1 wins ballot 1.n1 at t = 1000 (wall clock 50,000 ahead), its no-op is chosen, and n2
 * acknowledges the heartbeat round it sent then: its lease, if it has one, runs from t = 1000.
 */
function leader(leaseMs: number | undefined, bugs: BugName[] = []) {
  const wall = (t: number) => t + 50_000;
  const n1 = createReplica({ id: 'n1', members, random: () => 0, bugs: new Set(bugs), ...(leaseMs ? { leaseMs } : {}) });
  n1.step({ type: 'tick', now: 0, wall: wall(0) });
  const ballot = sent(n1.step({ type: 'tick', now: 1000, wall: wall(1000) })).find((m) => m.type === 'prepare')!.ballot;
  const won = from(n1, 'n2', { type: 'promise', ballot, accepted: [] });
  n1.step({ type: 'durable', through: won.seq });
  const out = sent(won);
  for (const m of out) if (m.to === 'n2' && m.type === 'accept') from(n1, 'n2', { type: 'accepted', ballot, slot: m.slot });
  const hb = out.find((m) => m.to === 'n2' && m.type === 'heartbeat')!;
  from(n1, 'n2', { type: 'heartbeat-ack', ballot, seq: hb.seq, commit: 1 });
  return { n1, ballot, wall };
}

/** n2 hears leader n1's heartbeat between its ticks at t = 0 and t = 100 (wall clock 5,000 ahead). */
function follower(leaseMs: number | undefined, bugs: BugName[] = []) {
  const n2 = createReplica({ id: 'n2', members, random: () => 0, bugs: new Set(bugs), ...(leaseMs ? { leaseMs } : {}) });
  n2.step({ type: 'tick', now: 0, wall: 5000 });
  const ack = sent(from(n2, 'n1', { type: 'heartbeat', ballot: { round: 1, node: 'n1' }, commit: 0, seq: 1 }));
  expect(ack.map((m) => m.type)).toEqual(['heartbeat-ack']);
  n2.step({ type: 'tick', now: 100, wall: 5100 });
  const prepare = (round: number, who = 'n3') => sent(from(n2, who, { type: 'prepare', ballot: { round, node: who }, from: 1 })).map((m) => m.type);
  return { n2, prepare };
}

describe('leader leases: the leader', () => {
  it('answers a read at once while a quorum backs it, and runs a quorum round without leases', () => {
    expect(read(leader(300).n1, 1100)).toEqual([{ ok: true, value: 0 }]);
    const plain = leader(undefined).n1;
    const r = plain.step({ type: 'request', request: { id: 'q', command: { op: 'read', key: 'k' } }, now: 1100 });
    expect(r.replies).toEqual([]);
    expect(sent(r).some((m) => m.type === 'heartbeat')).toBe(true);
  });

  it('stops at 90% of the lease counted from when the acknowledged round was sent', () => {
    const { n1 } = leader(300);
    expect(read(n1, 1269)).toEqual([{ ok: true, value: 0 }]);
    expect(read(n1, 1270)).toEqual([]); // 1000 + 0.9 × 300: it asks a quorum again
  });

  it('is judged on the monotonic clock: a wall clock set back does not stretch it', () => {
    const { n1, wall } = leader(300);
    expect(read(n1, 1400, wall(1400) - 5000)).toEqual([]);
  });

  it('with bug lease-wall-clock, is stretched by a wall clock set back', () => {
    const { n1, wall } = leader(undefined, ['lease-wall-clock']); // the bug switches leases on
    expect(read(n1, 1400, wall(1400))).toEqual([]);
    expect(read(n1, 1400, wall(1400) - 5000)).toEqual([{ ok: true, value: 0 }]);
  });
});

describe('leader leases: the follower', () => {
  it('answers no one else\'s prepare while its promise to its leader lasts (from its first tick after hearing it)', () => {
    const { n2, prepare } = follower(300);
    expect(prepare(2)).toEqual([]);
    n2.step({ type: 'tick', now: 399, wall: 5399 });
    expect(prepare(3)).toEqual([]);
    expect(prepare(4, 'n1')).toEqual(['promise']); // its leader may raise its own ballot
    n2.step({ type: 'tick', now: 400, wall: 5400 });
    expect(prepare(5)).toEqual(['promise']);
  });

  it('promises at once without leases', () => {
    expect(follower(undefined).prepare(2)).toEqual(['promise']);
  });

  it('does not stand while its promise lasts, however long since the election timeout', () => {
    const { n2 } = follower(300);
    const stands = (now: number) => sent(n2.step({ type: 'tick', now, wall: now + 5000 })).some((m) => m.type === 'prepare');
    expect(stands(200)).toBe(false); // the timeout (150 ms after the heartbeat) has passed
    expect(stands(399)).toBe(false);
    expect(stands(400)).toBe(true);
    const plain = follower(undefined).n2;
    expect(sent(plain.step({ type: 'tick', now: 200 })).some((m) => m.type === 'prepare')).toBe(true);
  });

  it('ignores a wall clock stepped ahead; with bug lease-wall-clock, it promises at once', () => {
    const correct = follower(300);
    correct.n2.step({ type: 'tick', now: 150, wall: 9000 });
    expect(correct.prepare(2)).toEqual([]);
    const buggy = follower(undefined, ['lease-wall-clock']);
    expect(buggy.prepare(2)).toEqual([]); // the bug has leases too
    buggy.n2.step({ type: 'tick', now: 150, wall: 9000 });
    expect(buggy.prepare(3)).toEqual(['promise']);
  });
});

describe('leader leases: a node that starts again', () => {
  // It may have promised a leader before it went down; that promise lived only in memory.
  const restarted = (leaseMs?: number) => createReplica({ id: 'n2', members, random: () => 0, bugs: new Set(), ...(leaseMs ? { leaseMs } : {}) });
  const prepareAt = (n2: Core, now: number) => {
    n2.step({ type: 'tick', now });
    return sent(from(n2, 'n3', { type: 'prepare', ballot: { round: 2, node: 'n3' }, from: 1 })).map((m) => m.type);
  };

  it('answers no prepare for a whole lease from its first tick, then promises', () => {
    const n2 = restarted(300);
    n2.step({ type: 'tick', now: 5000 });
    expect(prepareAt(n2, 5299)).toEqual([]);
    expect(prepareAt(n2, 5300)).toEqual(['promise']);
    // Without leases there is nothing to wait out.
    const plain = restarted();
    plain.step({ type: 'tick', now: 5000 });
    expect(prepareAt(plain, 5001)).toEqual(['promise']);
  });

  it('does not stand before then either, and stands after', () => {
    const n2 = restarted(300);
    const prepares = (now: number) => sent(n2.step({ type: 'tick', now })).filter((m) => m.type === 'prepare').length;
    expect(prepares(5000)).toBe(0);
    // Its election timeout (150 ms here) runs out long before the lease does.
    for (let t = 5010; t < 5300; t += 10) expect(prepares(t), `t = ${t}`).toBe(0);
    expect(prepares(5300)).toBeGreaterThan(0);
  });
});
