// `show` leads with the run's own verdict: a run the quick checks failed, or one that lacked a
// fault it asked for, is not shown as valid because the linearizability search passed.
import { describe, expect, it } from 'vitest';
import { summarizeRun } from '../../src/report/run-summary.ts';
import type { LoadedRun } from '../../src/report/load-run.ts';

const base = (results: Record<string, unknown>): LoadedRun => ({
  kind: 'run', path: '/r/x', history: [],
  result: { valid: true, model: 'set', ops: 0, partitions: 0, ms: 0, parts: [] },
  results,
});

describe('show: the run verdict', () => {
  it('a failed quick check makes the run invalid, and says which', () => {
    const s = summarizeRun(base({ valid: false, quick: [{ checker: 'set-full', valid: false, summary: '5 stable, 1 lost, 0 stale, 0 never read', findings: [] }] }));
    expect(s.verdict).toBe('invalid');
    expect(s.why).toBe('set-full failed: 5 stable, 1 lost, 0 stale, 0 never read');
    expect(s.quick).toEqual([{ checker: 'set-full', valid: false, summary: '5 stable, 1 lost, 0 stale, 0 never read' }]);
  });

  it('a run that lacked a fault is unknown, with the reason', () => {
    const s = summarizeRun(base({ valid: 'unknown', faultsNote: 'the nemesis was asked for kill, pause but never started pause' }));
    expect(s.verdict).toBe('unknown');
    expect(s.why).toContain('never started pause');
  });
});
