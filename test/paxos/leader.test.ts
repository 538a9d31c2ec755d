import { describe, expect, it } from 'vitest';
import { createReplica } from '../../src/paxos/core/index.ts';
import type { DurableRecord, PeerMessage, ReplicaConfig } from '../../src/paxos/types.ts';

const members = ['n1', 'n2', 'n3'];
const b = (round: number, node: string) => ({ round, node });
const batch = (key: string) => ({ kind: 'batch', cmds: [{ command: { op: 'inc', key, delta: 1 } }] });
const noop = { kind: 'noop' };

/** n1 restarts holding an accept of its own, campaigns, and hears one promise from n2. */
function recover(bugs: ReplicaConfig['bugs'] = new Set()) {
  const own: DurableRecord[] = [{ type: 'accept', slot: 3, ballot: b(2, 'n3'), value: batch('new') }];
  const n1 = createReplica({ id: 'n1', members, random: () => 0, bugs }, own);
  n1.step({ type: 'tick', now: 0 });
  const r = n1.step({ type: 'tick', now: 1000 }); // election timeout: campaign
  const prepare = r.messages.find((m) => m.to === 'n2')!.message as { ballot: { round: number; node: string } };
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
  const proposals = new Map<number, unknown>();
  for (const m of won.messages) {
    const msg = m.message as { type: string; slot: number; value: unknown };
    if (m.to === 'n2' && msg.type === 'accept') proposals.set(msg.slot, msg.value);
  }
  return { n1, proposals };
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
