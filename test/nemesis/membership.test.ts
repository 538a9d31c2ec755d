// Membership faults on real nodes: the nemesis grows, shrinks and replaces members through the
// cluster's own reconfiguration, records each change as an event named for it, and the correct
// build stays valid with nothing left running; config-before-chosen (the leader trusts a
// configuration it has only proposed) is caught; a system without the capability is refused.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTest } from '../../src/runner/run-test.ts';
import { missingCapabilities } from '../../src/system/capabilities.ts';
import type { DB } from '../../src/system/db.ts';
import { alive, tempResults, until } from '../runner/helpers.ts';

const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

function nemesisEvents(runDir: string): { f: string; value: { node?: string; mode?: string } }[] {
  return readFileSync(join(runDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.process === 'nemesis');
}

describe('membership faults', () => {
  it('change who votes during the run; the correct build stays valid and leaves nothing running', { timeout: 180_000 }, async () => {
    const resultsDir = tempResults();
    cleanup.push(() => rmSync(resultsDir, { recursive: true, force: true }));
    const o = await runTest({ nemesis: ['membership', 'kill'], seed: 7, timeLimit: 10, nemesisInterval: 1.5, quiesce: 1, resultsDir, progress: false });
    await until(() => o.pids.every((p) => !alive(p)), 5000, 'every process of the run to be gone');
    expect(o.valid).toBe(true);
    expect(o.exitCode).toBe(0);
    const changes = nemesisEvents(o.dir).filter((e) => e.f === 'add-member' || e.f === 'remove-member');
    expect(changes.length).toBeGreaterThanOrEqual(2);
    for (const c of changes) expect(c.value.node).toMatch(/^n[1-5]$/);
    expect(o.counts.faults.membership).toBe(changes.length);
  });

  // 9 of 10 seeds catch it at 20 s on a quiet machine, fewer at 15 s under the suite's load (0 of
  // seeds 3-5 once in CI): up to six tries, stopping at the first catch. At 15 s on 2026-12-03
  // seeds 4-7 caught it and 3 did not, so 3 goes last.
  it('catch config-before-chosen in a real run (one of six seeds at most)', { timeout: 480_000 }, async () => {
    const resultsDir = tempResults();
    cleanup.push(() => rmSync(resultsDir, { recursive: true, force: true }));
    let caught = false;
    for (const seed of [4, 5, 6, 7, 8, 3]) {
      const o = await runTest({ bug: 'config-before-chosen', seed, timeLimit: 15, quiesce: 1, resultsDir, progress: false });
      expect(o.settings.nemesis).toEqual(['membership']);
      if (o.exitCode === 1) {
        caught = true;
        expect(nemesisEvents(o.dir).some((e) => e.value.mode === 'replace-unreachable')).toBe(true);
        break;
      }
    }
    expect(caught).toBe(true);
  });

  it('are refused for a system that cannot add or remove members', () => {
    const plain: DB = { setup: async () => {}, teardown: async () => {}, nodes: () => [], logFiles: () => [], startedPids: () => [] };
    expect(missingCapabilities('mine', plain, ['membership'])).toBe('--nemesis membership needs adding and removing members (Membership), which --db mine does not offer');
  });
});
