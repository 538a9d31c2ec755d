// Regression for a stale answer found by a 60 s soak run (seed 104): the node's HTTP API numbers
// requests from 1 in every life, so after a restart, replaying the log during catch-up met
// commands the previous life had submitted under the same ids, and answered a new `inc` with
// the old result (k0 → 2 while k0 was 149).
import { describe, expect, it } from 'vitest';
import { createReplica } from '../../src/systems/paxos/core/index.ts';
import type { PeerMessage } from '../../src/systems/paxos/types.ts';

const members = ['n1', 'n2', 'n3'];
const inc = { op: 'inc' as const, key: 'k', delta: 1 };

/** One life of n1 following leader n2: returns the request n1 forwarded for driver id '1'. */
function lifeForwarding(seed: number) {
  const n1 = createReplica({ id: 'n1', members, random: () => seed });
  n1.step({ type: 'tick', now: 0 });
  n1.step({ type: 'message', from: 'n2', message: { type: 'heartbeat', ballot: { round: 1, node: 'n2' }, commit: 0, seq: 1 } });
  const r = n1.step({ type: 'request', request: { id: '1', command: inc } });
  const fwd = r.unsynced.find((m) => m.to === 'n2' && m.message.type === 'forward');
  expect(fwd).toBeDefined();
  return { n1, forwarded: (fwd!.message as unknown as { request: { id: string } }).request };
}

const slot = (origin: string) => ({ kind: 'batch' as const, cmds: [{ command: inc, origin: { node: 'n1', id: origin } }] });

describe('request ids across restarts', () => {
  it("a command from the previous life, replayed at catch-up, does not answer the new life's request", () => {
    const before = lifeForwarding(0.1).forwarded; // the first life's command, chosen in slot 1
    const { n1, forwarded: now } = lifeForwarding(0.7); // restarted: driver ids start at 1 again
    const entries = (list: [number, ReturnType<typeof slot>][]): PeerMessage => ({ type: 'entries', entries: list });

    const replay = n1.step({ type: 'message', from: 'n2', message: entries([[1, slot(before.id)]]) });
    expect(replay.replies).toEqual([]);

    const own = n1.step({ type: 'message', from: 'n2', message: entries([[2, slot(now.id)]]) });
    expect(own.replies).toEqual([{ id: '1', result: { ok: true, value: 2 } }]);
  });
});
