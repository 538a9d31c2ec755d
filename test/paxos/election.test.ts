// Bully-style elections (--election bully): timeouts fixed by rank, so the highest live id stands
// first, the next one only if it is gone; random elections draw their timeouts.
import { describe, expect, it } from 'vitest';
import { createReplica } from '../../src/systems/paxos/core/index.ts';
import type { ElectionPolicy, NodeId, Ready } from '../../src/systems/paxos/types.ts';
import { parseElection, NodeArgsError } from '../../src/systems/paxos/node/node-args.ts';

/** Three replicas, messages delivered at once, durable at once; returns who led first and campaigns. */
function elect(election: ElectionPolicy, dead: NodeId[] = [], seed = 1) {
  const members = ['n1', 'n2', 'n3'];
  let x = seed;
  const random = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const live = members.filter((m) => !dead.includes(m));
  const replicas = new Map(live.map((id) => [id, createReplica({ id, members, random, election })]));
  const queue: { to: NodeId; from: NodeId; message: Ready['messages'][number]['message'] }[] = [];
  const handle = (from: NodeId, r: Ready) => {
    for (const m of [...r.messages, ...r.unsynced]) if (replicas.has(m.to)) queue.push({ to: m.to, from, message: m.message });
    if (r.persist.length || r.snapshot) queue.push({ to: from, from, message: { type: 'fetch', from: -1 } as never });
  };
  for (let now = 0; now <= 2000; now += 5) {
    for (const [id, r] of replicas) handle(id, r.step({ type: 'tick', now }));
    while (queue.length) {
      const q = queue.shift()!;
      const r = replicas.get(q.to)!;
      // A self-addressed marker stands for "your records are durable now".
      if (q.to === q.from) handle(q.to, r.step({ type: 'durable', through: Number.MAX_SAFE_INTEGER }));
      else handle(q.to, r.step({ type: 'message', from: q.from, message: q.message }));
    }
    const leader = [...replicas.values()].map((r) => r.status()).find((s) => s.role === 'leader');
    if (leader) return { leader: leader.id, campaigns: [...replicas.values()].reduce((n, r) => n + Number(r.status().campaigns), 0), at: now };
  }
  return { leader: null, campaigns: 0, at: Infinity };
}

describe('elections', () => {
  it('bully: the highest live id stands first and wins, in one campaign', () => {
    expect(elect('bully')).toMatchObject({ leader: 'n3', campaigns: 1 });
    expect(elect('bully', ['n3'])).toMatchObject({ leader: 'n2', campaigns: 1 });
  });

  it('bully waits by rank: the next one stands a step after the highest would have', () => {
    const all = elect('bully');
    const without = elect('bully', ['n3']);
    expect(without.at).toBeGreaterThan(all.at);
  });

  it('random: whoever draws the shortest timeout leads; over seeds, not always the same node', () => {
    const leaders = new Set(Array.from({ length: 20 }, (_, s) => elect('random', [], s + 1).leader));
    expect(leaders.size).toBeGreaterThan(1);
  });

  it('the node flag accepts only the two policies', () => {
    expect(parseElection('bully')).toBe('bully');
    expect(() => parseElection('raft')).toThrow(NodeArgsError);
  });
});
