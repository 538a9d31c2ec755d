// The failpoint nemesis's turns, against a recording DB (no processes): a `promise-sent` crash is
// aimed around a leader that stays up when the network can be cut (the bridge), and the crashed
// bridge is started again within a poll; without a network it falls back to killing the leader.
// `--failpoints` narrows the points drawn. The real runs are in test/runner/bugs-detected.test.ts.
import { describe, expect, it } from 'vitest';
import { failpointFault } from '../../nemesis/failpoint.ts';
import { createRng } from '../../workloads/rng.ts';
import type { DB, FailpointAction } from '../../src/system/db.ts';
import type { FaultEvent } from '../../nemesis/fault.ts';

interface Recording {
  db: DB;
  armed: [string, string, FailpointAction][];
  disarmed: string[];
  killed: string[];
  dead: Set<string>;
  restarts: string[];
  drops: () => ((from: string, to: string) => boolean) | null;
}

function recordingDb(ids: string[], leader: string, withNet: boolean): Recording {
  const r: Omit<Recording, 'db' | 'drops'> = { armed: [], disarmed: [], killed: [], dead: new Set(), restarts: [] };
  let drops: ((from: string, to: string) => boolean) | null = null;
  const db: DB = {
    setup: async () => {},
    teardown: async () => {},
    nodes: () => ids.map((id) => ({ id, url: `http://127.0.0.1/${id}` })),
    logFiles: () => [],
    startedPids: () => [],
    leader: async () => leader,
    failpoints: () => ['promise-sent', 'leader-elected', 'reply-sent', 'snapshot-written', 'before-apply'],
    armFailpoint: async (id, point, action) => void r.armed.push([id, point, action]),
    disarmFailpoints: async (id) => void r.disarmed.push(id),
    kill: async (id) => {
      r.killed.push(id);
      r.dead.add(id);
    },
    restart: async (id) => {
      if (!r.dead.delete(id)) return;
      r.restarts.push(id);
    },
    ...(withNet ? { net: { blackhole: (d: (from: string, to: string) => boolean) => void (drops = d), heal: () => void (drops = null) } } : {}),
  };
  return { ...r, db, drops: () => drops };
}

const value = (e: FaultEvent | FaultEvent[]) => (Array.isArray(e) ? e[0]! : e).value;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('failpoint nemesis: promise-sent', () => {
  it('bridges a cut around the leader, which stays up, and restarts the crashed bridge at once', async () => {
    const rec = recordingDb(['n1', 'n2', 'n3'], 'n2', true);
    const { event, active } = await failpointFault.start({ db: rec.db, rng: createRng(3), failpoints: ['promise-sent'] });
    expect(rec.armed).toHaveLength(1);
    const [bridge, point, action] = rec.armed[0]!;
    expect([point, action]).toEqual(['promise-sent', { action: 'crash' }]);
    expect(bridge).not.toBe('n2');
    expect(rec.killed).toEqual([]);
    const rival = ['n1', 'n3'].find((id) => id !== bridge)!;
    const drops = rec.drops()!;
    // The leader and the rival cannot hear each other; the bridge hears, and is heard by, both.
    expect([drops('n2', rival), drops(rival, 'n2')]).toEqual([true, true]);
    for (const other of ['n2', rival]) expect([drops(bridge, other), drops(other, bridge)]).toEqual([false, false]);
    expect(value(event)).toMatchObject({ point: 'promise-sent', shape: 'bridge', armed: [bridge], restart: 'at once', killedLeader: null });

    // The point fires: the bridge dies, and is back within a poll.
    rec.dead.add(bridge);
    for (let i = 0; i < 100 && rec.restarts.length === 0; i++) await sleep(5);
    expect(rec.restarts).toEqual([bridge]);

    const stopped = await active.stop();
    expect(rec.drops()).toBeNull();
    expect(rec.disarmed).toEqual([bridge]);
    expect(value(stopped)).toEqual({ nodes: [bridge], point: 'promise-sent' });
    // Stopped means stopped: a later death is not the fault's to mend.
    rec.dead.add(bridge);
    await sleep(40);
    expect(rec.restarts).toEqual([bridge]);
  });

  it('in a five-node cluster gives each side, with the bridge, a majority, the leader on one side', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rec = recordingDb(['n1', 'n2', 'n3', 'n4', 'n5'], 'n4', true);
      const { active } = await failpointFault.start({ db: rec.db, rng: createRng(seed), failpoints: ['promise-sent'] });
      const bridge = rec.armed[0]![0];
      const drops = rec.drops()!;
      const ids = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((id) => id !== bridge);
      const leaderSide = ids.filter((id) => !drops(id, 'n4'));
      const otherSide = ids.filter((id) => drops(id, 'n4'));
      expect(leaderSide).toContain('n4');
      expect([leaderSide.length, otherSide.length]).toEqual([2, 2]);
      for (const a of leaderSide) for (const b of otherSide) expect([drops(a, b), drops(b, a)]).toEqual([true, true]);
      await active.stop();
    }
  });

  it('without a network to cut, kills the leader to bring the election, as before', async () => {
    const rec = recordingDb(['n1', 'n2', 'n3'], 'n2', false);
    const { event, active } = await failpointFault.start({ db: rec.db, rng: createRng(3), failpoints: ['promise-sent'] });
    expect(rec.armed.map(([id, p]) => [id === 'n2', p])).toEqual([[false, 'promise-sent']]);
    expect(rec.killed).toEqual(['n2']);
    expect(value(event)).toMatchObject({ killedLeader: 'n2' });
    await active.stop();
    expect(rec.restarts).toEqual(['n2']);
  });

  it('--failpoints narrows the points drawn; without it every point comes up', async () => {
    const drawn = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const rec = recordingDb(['n1', 'n2', 'n3'], 'n2', true);
      const { active } = await failpointFault.start({ db: rec.db, rng: createRng(seed), failpoints: ['leader-elected'] });
      expect(new Set(rec.armed.map(([, p]) => p))).toEqual(new Set(['leader-elected']));
      await active.stop();
      const all = recordingDb(['n1', 'n2', 'n3'], 'n2', true);
      const turn = await failpointFault.start({ db: all.db, rng: createRng(seed) });
      for (const [, p] of all.armed) drawn.add(p);
      await turn.active.stop();
    }
    expect(drawn).toEqual(new Set(['promise-sent', 'leader-elected', 'reply-sent', 'snapshot-written', 'before-apply']));
  });
});

describe('failpoint nemesis: leader-elected', () => {
  it('holds the new leader (a delay on every follower), or kills it at once or within 300 ms of its election, or pauses it', async () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const rec = recordingDb(['n1', 'n2', 'n3'], 'n2', true);
      const { active } = await failpointFault.start({ db: rec.db, rng: createRng(seed), failpoints: ['leader-elected'] });
      const acts = rec.armed.map(([, , a]) => a);
      // The leader goes, so the election that brings the moment happens; it is never armed.
      expect(rec.killed).toEqual(['n2']);
      expect(rec.armed.map(([id]) => id)).not.toContain('n2');
      const a = acts[0]!;
      if (a.action === 'delay') expect(rec.armed.map(([id]) => id).sort()).toEqual(['n1', 'n3']);
      else expect(acts).toHaveLength(1);
      if (a.action === 'crash' && a.ms !== undefined) {
        expect(a.ms).toBeGreaterThanOrEqual(0);
        expect(a.ms).toBeLessThan(300);
        seen.add('crash-after');
      } else seen.add(a.action);
      await active.stop();
    }
    expect([...seen].sort()).toEqual(['crash-after', 'delay', 'pause']);
  });
});

describe.each([
  ['snapshot-written', ['crash', 'error', 'pause']],
  ['before-apply', ['crash', 'pause']],
])('failpoint nemesis: %s', (aim, actions) => {
  it('arms one node, leader or not, and kills nobody; the stop disarms and restarts it', async () => {
    const victims = new Set<string>();
    const acts = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const rec = recordingDb(['n1', 'n2', 'n3'], 'n2', true);
      const { event, active } = await failpointFault.start({ db: rec.db, rng: createRng(seed), failpoints: [aim] });
      expect(rec.armed).toHaveLength(1);
      const [id, point, action] = rec.armed[0]!;
      expect(point).toBe(aim);
      acts.add(action.action);
      expect(rec.killed).toEqual([]);
      expect(rec.drops()).toBeNull();
      expect(value(event)).toMatchObject({ armed: [id], killedLeader: null });
      victims.add(id);
      rec.dead.add(id);
      await active.stop();
      expect(rec.disarmed).toEqual([id]);
      expect(rec.restarts).toEqual([id]);
    }
    expect(victims.has('n2')).toBe(true);
    // A delay holds phase-2 messages, which mean nothing there; an error only where I/O can fail.
    expect([...acts].sort()).toEqual([...actions].sort());
  });
});
