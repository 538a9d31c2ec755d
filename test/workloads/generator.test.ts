import { describe, it, expect } from 'vitest';
import {
  createRng, deriveSeed, drain, mainPhase, finalReadOps, limit, mix, repeat, stagger, timeLimit, WORKLOAD_NAMES,
} from '../../workloads/index.ts';

const opts = { keys: 4, rate: 200, timeLimitS: 2, nodes: 3 } as const;

describe('generators', () => {
  it('draw the same ops for the same seed and different ops for another seed', () => {
    for (const workload of WORKLOAD_NAMES) {
      const a = drain(mainPhase({ ...opts, workload }), createRng(deriveSeed(7, 'workload')));
      const b = drain(mainPhase({ ...opts, workload }), createRng(deriveSeed(7, 'workload')));
      const c = drain(mainPhase({ ...opts, workload }), createRng(deriveSeed(8, 'workload')));
      expect(a.length).toBeGreaterThan(100);
      expect(b).toEqual(a);
      expect(c).not.toEqual(a);
    }
  });

  it('hold the rate on average and stop at the time limit', () => {
    const ops = drain(mainPhase({ ...opts, workload: 'counter', rate: 500, timeLimitS: 4 }), createRng(1));
    // 500 ops/s for 4 s = 2000 expected; the stagger is random, so allow a few percent.
    expect(ops.length).toBeGreaterThan(1800);
    expect(ops.length).toBeLessThan(2200);
    expect(ops.every((o) => o.time < 4e9)).toBe(true);
    for (let i = 1; i < ops.length; i++) expect(ops[i]!.time).toBeGreaterThanOrEqual(ops[i - 1]!.time);
  });

  it('produce each workload’s op mix over the given keys', () => {
    const fs = (w: (typeof WORKLOAD_NAMES)[number]) =>
      new Set(drain(mainPhase({ ...opts, workload: w }), createRng(3)).map((o) => o.f));
    expect([...fs('counter')].sort()).toEqual(['inc', 'read']);
    expect([...fs('register')].sort()).toEqual(['read', 'write']);
    expect([...fs('cas-register')].sort()).toEqual(['cas', 'read', 'write']);
    const keys = new Set(drain(mainPhase({ ...opts, workload: 'register' }), createRng(3)).map((o) => o.key));
    expect([...keys].sort()).toEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('compose: mix weights, limit, stagger spacing, time limit', () => {
    const g = limit(1000, mix([
      { weight: 3, gen: repeat(() => ({ f: 'a', value: null })) },
      { weight: 1, gen: repeat(() => ({ f: 'b', value: null })) },
    ]));
    const ops = drain(g, createRng(5));
    expect(ops.length).toBe(1000);
    const a = ops.filter((o) => o.f === 'a').length;
    expect(a).toBeGreaterThan(680);
    expect(a).toBeLessThan(820);
    const spaced = drain(timeLimit(1e9, stagger(1e7, repeat(() => ({ f: 'x', value: null })))), createRng(9));
    expect(spaced.length).toBeGreaterThan(80);
    expect(spaced.length).toBeLessThan(120);
  });

  it('plan a final read of every key from every node', () => {
    const ops = finalReadOps(2, 3);
    expect(ops.map((o) => `${o.key}@${o.node}`)).toEqual(['k0@0', 'k0@1', 'k0@2', 'k1@0', 'k1@1', 'k1@2']);
    expect(ops.every((o) => o.f === 'read')).toBe(true);
  });
});
