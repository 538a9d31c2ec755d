// Membership change in the core: a node joins as a learner and votes once caught up, a removed
// leader hands over, one change at a time, prepares from non-voters refused, and the seed's
// scenario across a change (X = X + 1 twice, add n4, remove the old leader, kill another: a read
// through n4 returns 2). Then the simulator with membership faults: the correct build stays
// safe, config-before-chosen is found.
import { describe, expect, it } from 'vitest';
import { stepTowards } from '../../src/systems/paxos/core/configuration.ts';
import { counterChecker } from '../../src/systems/paxos/sim/linearizability.ts';
import { runSim } from '../../src/systems/paxos/sim/run.ts';
import type { NodeId } from '../../src/systems/paxos/types.ts';
import { Harness } from './harness.ts';

const pool = ['n1', 'n2', 'n3', 'n4'];
const voters = ['n1', 'n2', 'n3'];
const inc = { op: 'inc' as const, key: 'x', delta: 1 };
const read = { op: 'read' as const, key: 'x' };
type Config = { voters: NodeId[]; learners: NodeId[]; slot: number };
const configOf = (h: Harness, id: NodeId) => h.replicas.get(id)!.status().configuration as Config;

function cluster(): { h: Harness; leader: NodeId } {
  const h = new Harness(pool, { voters });
  h.run(1000);
  const leader = h.leader();
  expect(leader).toBeDefined();
  return { h, leader: leader! };
}

describe('configurations', () => {
  it('add goes learner first, then voter; remove takes a node out; the last voter stays', () => {
    const c = { voters: ['n1', 'n2', 'n3'], learners: [] };
    expect(stepTowards(c, { op: 'add-member', node: 'n4' })).toEqual({ next: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] } });
    expect(stepTowards({ voters: ['n1', 'n2', 'n3'], learners: ['n4'] }, { op: 'add-member', node: 'n4' })).toEqual({ next: { voters: ['n1', 'n2', 'n3', 'n4'], learners: [] } });
    expect(stepTowards(c, { op: 'add-member', node: 'n2' })).toEqual({ done: true });
    expect(stepTowards(c, { op: 'remove-member', node: 'n2' })).toEqual({ next: { voters: ['n1', 'n3'], learners: [] } });
    expect(stepTowards(c, { op: 'remove-member', node: 'n9' })).toEqual({ done: true });
    expect(stepTowards({ voters: ['n1'], learners: [] }, { op: 'remove-member', node: 'n1' })).toHaveProperty('refused');
  });
});

describe('membership change in the core', () => {
  it('X = X + 1 twice, add n4, remove the old leader, kill another: a read through n4 returns 2', () => {
    const { h, leader } = cluster();
    for (const r of ['1', '2']) {
      const id = h.request(leader, inc, 'c1', r);
      h.deliverAll();
      expect(h.replies.get(id)).toMatchObject({ ok: true });
    }
    h.start('n4');
    const add = h.request(leader, { op: 'add-member', node: 'n4' });
    h.run(300);
    expect(h.replies.get(add)).toMatchObject({ ok: true });
    for (const id of pool) expect(configOf(h, id).voters).toEqual(pool);
    const remove = h.request(leader, { op: 'remove-member', node: leader });
    h.run(50);
    expect(h.replies.get(remove)).toMatchObject({ ok: true });
    expect(configOf(h, 'n4').voters).not.toContain(leader);
    // Handed over: a new leader well within an election timeout (150-300 ms), not after it.
    const next = h.leader();
    expect(next).toBeDefined();
    expect(next).not.toBe(leader);
    h.crash(leader);
    const another = voters.find((v) => v !== leader && v !== next) ?? next!;
    h.crash(another);
    h.run(1500);
    const r = h.request('n4', read);
    h.run(100);
    expect(h.replies.get(r)).toEqual({ ok: true, value: 2 });
  });

  it('a joining node is a learner until it has caught up, and only then votes', () => {
    const { h, leader } = cluster();
    for (let i = 0; i < 30; i++) h.request(leader, inc, 'c1', String(i));
    h.deliverAll();
    // n4 is down: it becomes a learner (chosen by the voters) but cannot catch up, so it is not promoted.
    const add = h.request(leader, { op: 'add-member', node: 'n4' });
    h.run(500);
    expect(configOf(h, leader)).toMatchObject({ voters, learners: ['n4'] });
    expect(h.replies.get(add)).toBeUndefined();
    h.start('n4');
    h.run(500);
    expect(h.replies.get(add)).toMatchObject({ ok: true });
    expect(configOf(h, leader).voters).toEqual(pool);
    // It learned everything before it voted: the same registers as the leader.
    expect(h.replicas.get('n4')!.digest()).toBe(h.replicas.get(leader)!.digest());
    expect(configOf(h, 'n4').slot).toBe(configOf(h, leader).slot);
  });

  it('one change at a time; the only voter cannot be removed', () => {
    const { h, leader } = cluster();
    const first = h.request(leader, { op: 'add-member', node: 'n4' });
    const second = h.request(leader, { op: 'remove-member', node: 'n2' });
    expect(h.replies.get(second)).toMatchObject({ ok: false, error: 'member-change-refused' });
    h.start('n4');
    h.run(500);
    expect(h.replies.get(first)).toMatchObject({ ok: true });

    const solo = new Harness(['n1'], {});
    solo.run(500);
    const last = solo.request('n1', { op: 'remove-member', node: 'n1' });
    solo.run(100);
    expect(solo.replies.get(last)).toMatchObject({ ok: false, error: 'member-change-refused', message: expect.stringMatching(/only voter/) });
  });

  it('a member forwards a change to the leader; a removed member is refused when it stands', () => {
    const { h, leader } = cluster();
    const follower = voters.find((v) => v !== leader)!;
    const rm = h.request(follower, { op: 'remove-member', node: follower });
    h.run(200);
    expect(h.replies.get(rm)).toMatchObject({ ok: true });
    expect(configOf(h, leader).voters).not.toContain(follower);
    // Its own view still counts it a voter if it missed the news: cut it off, let it stand.
    h.cut.add(follower);
    h.run(50);
    h.cut.delete(follower);
    const before = h.replicas.get(leader)!.status().ballot;
    h.run(1000);
    // The leader never promised the removed node anything: it still leads, same ballot.
    expect(h.leader()).toBe(leader);
    expect(h.replicas.get(leader)!.status().ballot).toEqual(before);
  });
});

describe('the simulator with membership faults', () => {
  it('the correct build stays safe and linearizable while nodes join and leave (seeds 1..12)', () => {
    let changes = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const r = runSim({ seed, membership: true, checker: counterChecker });
      expect(r.violation, `seed ${seed}`).toBeNull();
      expect(r.linearizable).toBe(true);
      changes += r.stats.memberChanges;
    }
    expect(changes).toBeGreaterThan(20);
  });

  it('finds config-before-chosen within 40 seeds, and the same seeds without membership change nothing', () => {
    let found: ReturnType<typeof runSim> | null = null;
    for (let seed = 1; seed <= 40 && !found; seed++) {
      const r = runSim({ seed, membership: true, bugs: new Set(['config-before-chosen']), checker: counterChecker });
      if (!r.ok) found = r;
    }
    expect(found, 'no violation in seeds 1..40').not.toBeNull();
    // Without membership faults the bug has nothing to act on: same history as the correct build.
    const a = runSim({ seed: found!.seed, checker: null });
    const b = runSim({ seed: found!.seed, bugs: new Set(['config-before-chosen']), checker: null });
    expect(JSON.stringify(b.history)).toBe(JSON.stringify(a.history));
  });
});
