// The runner must catch the cluster's switchable bugs. Detection is probabilistic (it depends on
// where faults land), so each case tries a few seeds that were seen to detect, up to a bound,
// and passes at the first invalid verdict. The README gives the measured rate over 20 seeds.
import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import { runTest } from '../../src/runner/run-test.ts';
import type { BugName } from '../../src/systems/paxos/types.ts';
import type { FaultKind } from '../../nemesis/fault.ts';
import { alive, tempResults, until } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function detects(bug: BugName, nemesis: FaultKind[], seeds: number[], timeLimit: number): Promise<{ seed: number; tries: number } | null> {
  const resultsDir = tempResults();
  dirs.push(resultsDir);
  for (let i = 0; i < seeds.length; i++) {
    // Everything else (interval, load, op timeout) is what `--bug` brings: the bug's catchWith.
    const o = await runTest({ bug, seed: seeds[i]!, timeLimit, quiesce: 1, resultsDir, progress: false });
    expect(o.settings.nemesis).toEqual(nemesis);
    expect(o.pids.length).toBeGreaterThanOrEqual(4);
    await until(() => o.pids.every((p) => !alive(p)), 3000, 'every process of the run to be gone');
    if (o.valid === false) {
      expect(o.exitCode).toBe(1);
      expect(o.anomalyText).toBeTruthy();
      const results = JSON.parse(fs.readFileSync(`${o.dir}/results.json`, 'utf8'));
      expect(results.valid).toBe(false);
      expect(results.result.anomaly).toBeTruthy();
      return { seed: seeds[i]!, tries: i + 1 };
    }
  }
  return null;
}

describe('bugs are detected', () => {
  // Bounded tries: generous for a loaded CI machine.
  it('local-read under partitions gives an invalid verdict', { timeout: 240_000 }, async () => {
    // More ops in flight, and a short op timeout: more reads reach the cut-off leader.
    expect(await detects('local-read', ['partition'], [1, 2, 3, 4], 12)).not.toBeNull();
  });

  // Most runs detect it (README); five seeds make a spurious failure of this test unlikely.
  it('leader-skips-recovery under kills gives an invalid verdict', { timeout: 300_000 }, async () => {
    // It loses what was chosen but not yet known to the followers when the leader died: at the
    // default load the commit index often waits for the next heartbeat, so that is most runs.
    expect(await detects('leader-skips-recovery', ['kill'], [1, 2, 3, 4, 5], 20)).not.toBeNull();
  });

  it('promise-not-persisted under the promise bridge gives an invalid verdict', { timeout: 240_000 }, async () => {
    // The failpoint nemesis aimed at promise-sent (what --bug brings): the acceptor between the
    // old leader and a rival crashes right after promising and is restarted at once. 10 of 10
    // seeds at 20 s, 5 of 6 at 8 s (docs/stress-tests.md); seed 1 is caught in its first turn.
    expect(await detects('promise-not-persisted', ['failpoint'], [1, 2, 3, 4], 10)).not.toBeNull();
  });
});
