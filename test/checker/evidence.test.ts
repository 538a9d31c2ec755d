import { describe, expect, it } from 'vitest';
import { checkSync, formatAnomaly, models } from '../../checker/index.ts';
import { ops } from './helpers.ts';

describe('evidence', () => {
  // inc x → 1 by p0, inc x → 2 by p1, then p0 reads 1: the second increment was lost.
  const h = ops([
    { p: 0, f: 'inc', key: 'x', in: 1, out: 1, t: [1e9, 2e9] },
    { p: 1, f: 'inc', key: 'x', in: 1, out: 2, t: [3e9, 11.8e9] },
    { p: 0, f: 'read', key: 'x', out: 1, t: [12.1e9, 12.3e9] },
    { p: 2, f: 'inc', key: 'x', in: 1, t: [12e9] },
  ]);
  const r = checkSync(h, { model: 'counter', partials: true });

  it('names the op, the longest prefix, the state there and who set it', () => {
    expect(r.valid).toBe(false);
    const a = r.anomaly!;
    expect(a.key).toBe('x');
    expect(a.op.id).toBe(2);
    expect(a.prefix).toEqual([0, 1]);
    expect(a.state).toBe('2');
    expect(a.explanation).toContain('read x → 1 (op #3, invoked at 12.100 s, completed at 12.300 s) cannot be linearized');
    expect(a.explanation).toContain('inc x by 1 → 2 (op #2, completed at 11.800 s)');
    // The lead says what kind of anomaly it is, and which completed op makes the read stale.
    expect(a.kind).toBe('stale-read');
    expect(a.after).toBe(1);
    expect(a.headline).toBe('stale read: read x → 1 (op #3) began at 12.100 s, after inc x by 1 → 2 (op #2) had already returned at 11.800 s');
    // The crashed inc could have come first, but only makes things worse.
    expect(a.concurrent).toEqual([3]);
    expect(a.partialLinearizations?.[1]).toEqual([0, 1]);
    // Only when asked (the HTML view's): by default no check pays for them.
    expect(checkSync(h, { model: 'counter' }).anomaly!.partialLinearizations).toBeUndefined();
  });

  it('formats a readable summary', () => {
    const text = formatAnomaly(r.anomaly!, h, { describe: models.counter.describeOp });
    expect(text).toMatch(/^NOT LINEARIZABLE \(key x\)/);
    expect(text).toContain('state then: 2');
    expect(text).toMatch(/> #3 +process 0 +12\.100 s \.\. 12\.300 s +read x → 1/);
    expect(text.split('\n')[2]).toMatch(/^stale read: read x → 1 \(op #3\)/);
    expect(text).toContain('inc x by 1 (outcome unknown)');
  });
});
