// The clock nemesis's split turn, against a DB that records what it is asked: the leader is cut
// off from the others before any clock moves, its clock goes behind theirs by as much as theirs
// goes ahead, and the stop heals the cut and puts every clock back. Every step is recorded.
import { describe, expect, it } from 'vitest';
import { clockFault } from '../../nemesis/clock.ts';
import { createRng } from '../../workloads/rng.ts';
import type { DB } from '../../src/system/db.ts';
import type { FaultEvent } from '../../nemesis/fault.ts';

function recordingDb(calls: string[]): DB {
  return {
    setup: async () => {},
    teardown: async () => {},
    nodes: () => ['n1', 'n2', 'n3'].map((id) => ({ id, url: '' })),
    logFiles: () => [],
    startedPids: () => [],
    leader: async () => 'n2',
    setClockOffset: async (id, ms) => void calls.push(`clock ${id} ${ms}`),
    net: {
      blackhole: (d) => {
        calls.push(`cut ${['n1', 'n3'].map((o) => `${o}→n2:${d(o, 'n2')} n2→${o}:${d('n2', o)}`).join(' ')} n1→n3:${d('n1', 'n3')}`);
      },
      heal: () => void calls.push('heal'),
    },
  };
}

describe('the clock nemesis split', () => {
  it('cuts the leader off, then steps its clock behind the others by as much as theirs goes ahead', async () => {
    // The first seed whose turn is a split (the draw is seeded, so this is always the same seed).
    let found: { calls: string[]; events: FaultEvent[]; stop: () => Promise<FaultEvent | FaultEvent[]> } | undefined;
    for (let seed = 1; seed < 50 && !found; seed++) {
      const calls: string[] = [];
      const { event, active } = await clockFault.start({ db: recordingDb(calls), rng: createRng(seed) });
      const events = [event].flat();
      if (events.some((e) => e.value.mode === 'split')) found = { calls, events, stop: () => active.stop() };
      else await active.stop();
    }
    expect(found, 'some seed draws a split').toBeDefined();
    const { calls, events } = found!;
    expect(calls[0]).toBe('cut n1→n2:true n2→n1:true n3→n2:true n2→n3:true n1→n3:false');
    const offsets = calls.slice(1).map((c) => c.split(' '));
    expect(offsets.map((o) => o[1])).toEqual(['n1', 'n2', 'n3']);
    const ms = Number(offsets[0]![2]);
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThanOrEqual(10_000);
    expect(offsets.map((o) => Number(o[2]))).toEqual([ms, -ms, ms]);
    expect(events.map((e) => e.f)).toEqual(['start-partition', 'start-clock']);
    expect(events[1]!.value).toMatchObject({ mode: 'split', target: 'leader', offsets: { n1: ms, n2: -ms, n3: ms } });
    calls.length = 0;
    const stops = [await found!.stop()].flat();
    expect(calls).toEqual(['heal', 'clock n1 0', 'clock n2 0', 'clock n3 0']);
    expect(stops.map((e) => e.f)).toEqual(['stop-partition', 'stop-clock']);
  });

  it('is never drawn without a network to cut', async () => {
    for (let seed = 1; seed < 30; seed++) {
      const db = recordingDb([]);
      delete (db as { net?: unknown }).net;
      const { event, active } = await clockFault.start({ db, rng: createRng(seed) });
      expect([event].flat().map((e) => e.value.mode)).not.toContain('split');
      await active.stop();
    }
  });
});
