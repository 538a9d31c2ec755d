import { describe, expect, it } from 'vitest';
import { createReplica } from '../../src/systems/paxos/core/index.ts';
import type { DurableRecord, PeerMessage, Ready } from '../../src/systems/paxos/types.ts';

const members = ['n1', 'n2', 'n3'];
const cfg = { id: 'n2', members, random: () => 0.5 };
const msg = (m: object): { type: 'message'; from: string; message: PeerMessage } => ({ type: 'message', from: 'n1', message: m as PeerMessage });
const noop = { kind: 'noop' };

function only(r: Ready): PeerMessage {
  expect(r.messages).toHaveLength(1);
  return r.messages[0]!.message;
}

describe('acceptor', () => {
  it('promises a higher ballot, persisting the promise in the same Ready as the reply', () => {
    const a = createReplica(cfg, []);
    const r = a.step(msg({ type: 'prepare', ballot: { round: 1, node: 'n1' }, from: 1 }));
    expect(r.persist).toEqual([{ type: 'promise', ballot: { round: 1, node: 'n1' } }]);
    expect(only(r)).toMatchObject({ type: 'promise', ballot: { round: 1, node: 'n1' }, accepted: [] });
  });

  it('refuses a lower prepare and a lower accept with a nack naming its promise', () => {
    const a = createReplica(cfg, []);
    a.step(msg({ type: 'prepare', ballot: { round: 2, node: 'n3' }, from: 1 }));
    expect(only(a.step(msg({ type: 'prepare', ballot: { round: 2, node: 'n1' }, from: 1 })))).toMatchObject({ type: 'nack', promised: { round: 2, node: 'n3' } });
    const r = a.step(msg({ type: 'accept', ballot: { round: 1, node: 'n1' }, slot: 1, value: noop, commit: 0 }));
    expect(r.persist).toEqual([]);
    expect(only(r)).toMatchObject({ type: 'nack' });
  });

  it('accepts at or above its promise, persists the value and reports it in later promises', () => {
    const a = createReplica(cfg, []);
    const value = { kind: 'batch', cmds: [{ command: { op: 'inc', key: 'x', delta: 1 } }] };
    const r = a.step(msg({ type: 'accept', ballot: { round: 1, node: 'n1' }, slot: 3, value, commit: 0 }));
    expect(r.persist).toEqual([{ type: 'accept', slot: 3, ballot: { round: 1, node: 'n1' }, value }]);
    expect(only(r)).toEqual({ type: 'accepted', ballot: { round: 1, node: 'n1' }, slot: 3 });
    const p = only(a.step(msg({ type: 'prepare', ballot: { round: 2, node: 'n3' }, from: 1 })));
    expect(p).toMatchObject({ type: 'promise', accepted: [[3, { round: 1, node: 'n1' }, value]] });
  });

  it('stays safe after a crash between persisting a promise and replying: the restarted acceptor refuses lower ballots', () => {
    const a = createReplica(cfg, []);
    const r = a.step(msg({ type: 'prepare', ballot: { round: 5, node: 'n3' }, from: 1 }));
    // The driver fsynced r.persist, then the node died before sending the promise.
    const b = createReplica(cfg, structuredClone(r.persist) as DurableRecord[]);
    expect(b.status().ballot).toEqual({ round: 5, node: 'n3' });
    expect(only(b.step(msg({ type: 'accept', ballot: { round: 4, node: 'n1' }, slot: 1, value: noop, commit: 0 })))).toMatchObject({ type: 'nack' });
  });

  it('with promise-not-persisted the promise is not in persist, so a restart forgets it', () => {
    const bugs = new Set(['promise-not-persisted'] as const);
    const a = createReplica({ ...cfg, bugs }, []);
    const r = a.step(msg({ type: 'prepare', ballot: { round: 5, node: 'n3' }, from: 1 }));
    expect(r.persist).toEqual([]);
    const b = createReplica({ ...cfg, bugs }, []);
    expect(only(b.step(msg({ type: 'accept', ballot: { round: 4, node: 'n1' }, slot: 1, value: noop, commit: 0 })))).toMatchObject({ type: 'accepted' });
  });
});
