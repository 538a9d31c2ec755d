import { describe, expect, it } from 'vitest';
import { describeTarget, faultBands } from '../../src/report/bands.ts';
import type { FaultEvent } from '../../src/report/pair.ts';

const ev = (time: number, f: string, value: unknown, type = 'info'): FaultEvent => ({ index: 0, time, type, f, value });

describe('faultBands', () => {
  it("pairs the nemesis's start-/stop- events per node", () => {
    const { bands } = faultBands([
      ev(1, 'start-kill', { nodes: ['n1', 'n2'], target: 'minority' }),
      ev(5, 'stop-kill', { nodes: ['n1'] }),
      ev(7, 'stop-kill', { nodes: ['n2'] }),
    ]);
    expect(bands).toEqual([
      { kind: 'kill', target: 'n1', start: 1, end: 5 },
      { kind: 'kill', target: 'n2', start: 1, end: 7 },
    ]);
  });

  it('describes a partition by its components when the grudge splits nodes into groups', () => {
    const { bands } = faultBands([
      ev(2, 'start-partition', { shape: 'halves', grudge: { n1: ['n2', 'n3'], n2: ['n1'], n3: ['n1'] } }),
      ev(4, 'stop-partition', { shape: 'halves' }),
    ]);
    expect(bands).toEqual([{ kind: 'partition', target: 'halves {n1} | {n2,n3}', start: 2, end: 4 }]);
  });

  it('names a ring partition by its shape (it has no components)', () => {
    const t = describeTarget({ shape: 'majorities-ring', grudge: { n1: ['n3'], n2: ['n1'], n3: ['n2'] } });
    expect(t).toBe('majorities-ring');
  });

  it('understands Jepsen-style names, merges a repeated start, and leaves an unhealed fault open', () => {
    const { bands, markers } = faultBands([
      ev(1, 'kill', ['n3'], 'invoke'),
      ev(2, 'kill', ['n3']),
      ev(3, 'pause', ['n2']),
      ev(4, 'resume', ['n2']),
      ev(6, 'clock-skew', { delta: 5 }),
    ]);
    expect(bands).toEqual([
      { kind: 'kill', target: 'n3', start: 1, end: null },
      { kind: 'pause', target: 'n2', start: 3, end: 4 },
    ]);
    expect(markers).toEqual([{ kind: 'clock-skew', target: '{"delta":5}', start: 6, end: 6 }]);
  });
});
