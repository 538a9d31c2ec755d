import { describe, expect, it } from 'vitest';
import { createReplica } from '../../src/systems/paxos/core/index.ts';
import type { DurableRecord, PeerMessage, ReplicaConfig } from '../../src/systems/paxos/types.ts';

const members = ['n1', 'n2', 'n3'];
const b = (round: number, node: string) => ({ round, node });
const batch = (key: string) => ({ kind: 'batch' as const, cmds: [{ command: { op: 'inc' as const, key, delta: 1 } }] });
const noop = { kind: 'noop' };

/** n1 restarts holding an accept of its own, campaigns, and hears one promise from n2. */
function recover(bugs: ReplicaConfig['bugs'] = new Set()) {
  const own: DurableRecord[] = [{ type: 'accept', slot: 3, ballot: b(2, 'n3'), value: batch('new') }];
  const n1 = createReplica({ id: 'n1', members, random: () => 0, bugs }, own);
  n1.step({ type: 'tick', now: 0 });
  const r = n1.step({ type: 'tick', now: 1000 }); // election timeout: campaign
  const prepare = r.messages.find((m) => m.to === 'n2')!.message as unknown as { ballot: { round: number; node: string } };
  expect(prepare).toMatchObject({ type: 'prepare', from: 1 });
  expect(prepare.ballot).toEqual(b(3, 'n1')); // above every ballot it has seen
  const promise = {
    type: 'promise',
    ballot: prepare.ballot,
    accepted: [
      [1, b(1, 'n3'), batch('one')],
      [3, b(1, 'n2'), batch('old')],
    ],
  };
  const won = n1.step({ type: 'message', from: 'n2', message: promise as unknown as PeerMessage });
  // Its own accepts count once its fsync reports them durable, as the node's pipeline does.
  expect(n1.step({ type: 'durable', through: won.seq }).replies).toEqual([]);
  const proposals = new Map<number, unknown>();
  for (const m of won.messages) {
    const msg = m.message as { type: string; slot: number; value: unknown };
    if (m.to === 'n2' && msg.type === 'accept') proposals.set(msg.slot, msg.value);
  }
  return { n1, proposals, ballot: prepare.ballot };
}

type Core = ReturnType<typeof createReplica>;
const from = (n1: Core, who: string, message: object) => n1.step({ type: 'message', from: who, message: message as PeerMessage });

/** A read of `one` (incremented in recovered slot 1) arriving right after the election. */
function readAfterElection(bugs: ReplicaConfig['bugs']) {
  const { n1, proposals, ballot } = recover(bugs);
  const r = n1.step({ type: 'request', request: { id: 'q', command: { op: 'read', key: 'one' } } });
  const answers: unknown[] = r.replies.map((x) => x.result);
  const seqOf = (ready: { messages: { message: PeerMessage }[]; unsynced: { message: PeerMessage }[] }) =>
    [...ready.messages, ...ready.unsynced].map((m) => m.message).filter((m) => m.type === 'heartbeat').map((m) => m.seq as number);
  // Confirm leadership for whatever round is running, before recovery is finished.
  for (const seq of seqOf(r)) answers.push(...from(n1, 'n2', { type: 'heartbeat-ack', ballot, seq }).replies.map((x) => x.result));
  const early = [...answers];
  // Now n2 accepts every recovery slot: slot 1 (inc one) and the leader's no-op are chosen.
  for (const slot of proposals.keys()) {
    const out = from(n1, 'n2', { type: 'accepted', ballot, slot });
    answers.push(...out.replies.map((x) => x.result));
    for (const seq of seqOf(out)) answers.push(...from(n1, 'n2', { type: 'heartbeat-ack', ballot, seq }).replies.map((x) => x.result));
  }
  return { early, answers };
}

describe('leader recovery', () => {
  it('re-proposes the highest-ballot accepted value per open slot, fills gaps with no-ops, then adds its own no-op', () => {
    const { n1, proposals } = recover();
    expect(n1.status().role).toBe('leader');
    expect([...proposals.keys()]).toEqual([1, 2, 3, 4]);
    expect(proposals.get(1)).toEqual(batch('one'));
    expect(proposals.get(2)).toEqual(noop);
    expect(proposals.get(3)).toEqual(batch('new')); // ballot 2.n3 beats 1.n2
    expect(proposals.get(4)).toEqual(noop);
  });

  it('with leader-skips-recovery the accepted values are ignored and slot 1 is overwritten', () => {
    const { proposals } = recover(new Set(['leader-skips-recovery']));
    expect(proposals.get(1)).toEqual(noop);
    expect(proposals.has(3)).toBe(false);
  });
});

describe('reads after an election', () => {
  it('wait until the leader\'s own no-op is chosen, then see the recovered increment', () => {
    const { early, answers } = readAfterElection(new Set());
    expect(early).toEqual([]);
    expect(answers).toEqual([{ ok: true, value: 1 }]);
  });

  it('with read-before-noop a quorum-confirmed read is served from the stale commit index', () => {
    const { early } = readAfterElection(new Set(['read-before-noop']));
    expect(early).toEqual([{ ok: true, value: 0 }]);
  });
});

/** A fresh n1 elected with n2's promise (nothing to recover), its no-op chosen. */
function freshLeader() {
  const n1 = createReplica({ id: 'n1', members, random: () => 0 });
  n1.step({ type: 'tick', now: 0 });
  const campaign = n1.step({ type: 'tick', now: 1000 });
  const ballot = (campaign.messages[0]!.message as unknown as { ballot: { round: number; node: string } }).ballot;
  const won = from(n1, 'n2', { type: 'promise', ballot, accepted: [] });
  return { n1, ballot, campaign, won };
}

const acceptsIn = (ready: { messages: { message: PeerMessage }[] } | { unsynced: { message: PeerMessage }[] }, list: 'messages' | 'unsynced') =>
  ((ready as Record<string, { message: PeerMessage }[]>)[list] ?? []).map((m) => m.message).filter((m) => m.type === 'accept');

describe("the leader's own vote and its fsync", () => {
  it('counts its own accept only once the driver reports it durable', () => {
    const { n1, ballot, won } = freshLeader();
    n1.step({ type: 'durable', through: won.seq });
    from(n1, 'n2', { type: 'accepted', ballot, slot: 1 }); // the leader's no-op
    const req = n1.step({ type: 'request', request: { id: 'w', command: { op: 'inc', key: 'x', delta: 1 } } });
    expect(req.persist.map((r) => r.type)).toEqual(['accept']);
    // n3 accepts slot 2 before our own write is on disk: one durable vote of two needed.
    expect(from(n1, 'n3', { type: 'accepted', ballot, slot: 2 }).replies).toEqual([]);
    const done = n1.step({ type: 'durable', through: req.seq });
    expect(done.replies).toEqual([{ id: 'w', result: { ok: true, value: 1 } }]);
  });

  it('sends phase 2a ahead of its own fsync only once its promise of the ballot is durable', () => {
    const { n1, ballot, campaign, won } = freshLeader();
    // Elected, but the promise written when campaigning is not yet reported durable.
    expect(acceptsIn(won, 'messages').length).toBe(2);
    expect(acceptsIn(won, 'unsynced')).toEqual([]);
    n1.step({ type: 'durable', through: campaign.seq });
    from(n1, 'n2', { type: 'accepted', ballot, slot: 1 });
    const req = n1.step({ type: 'request', request: { id: 'w', command: { op: 'inc', key: 'x', delta: 1 } } });
    expect(acceptsIn(req, 'messages')).toEqual([]);
    expect(acceptsIn(req, 'unsynced').length).toBe(2);
  });
});

describe('preemption', () => {
  /** n1 campaigns, then meets a higher ballot: a prepare from n2, or a nack of its own ballot. */
  function preempt(bugs: ReplicaConfig['bugs'], how: 'prepare' | 'nack') {
    const n1 = createReplica({ id: 'n1', members, random: () => 0, bugs });
    n1.step({ type: 'tick', now: 0 });
    const campaign = n1.step({ type: 'tick', now: 1000 });
    const mine = (campaign.messages[0]!.message as unknown as { ballot: { round: number; node: string } }).ballot;
    const higher = b(mine.round + 1, 'n2');
    const r =
      how === 'prepare'
        ? from(n1, 'n2', { type: 'prepare', ballot: higher, from: 1 })
        : from(n1, 'n2', { type: 'nack', ballot: mine, promised: higher });
    const prepares = r.messages.map((m) => m.message as unknown as { type: string; ballot: { round: number } }).filter((m) => m.type === 'prepare');
    return { role: n1.status().role, prepares, higher };
  }

  for (const how of ['prepare', 'nack'] as const) {
    it(`after a higher ${how} a candidate backs off: it follows and sends no prepare`, () => {
      const { role, prepares } = preempt(new Set(), how);
      expect(role).toBe('follower');
      expect(prepares).toEqual([]);
    });

    it(`with dueling-proposers a higher ${how} makes it outbid at once`, () => {
      const { role, prepares, higher } = preempt(new Set(['dueling-proposers']), how);
      expect(role).toBe('candidate');
      expect(prepares.length).toBe(2);
      expect(prepares[0]!.ballot.round).toBe(higher.round + 1);
    });
  }
});
