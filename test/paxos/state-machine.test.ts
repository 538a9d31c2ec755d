import { describe, expect, it } from 'vitest';
import { RegisterMachine } from '../../src/systems/paxos/core/state-machine.ts';

describe('register state machine', () => {
  it('reads 0 for a never-written key; inc returns the value after it; write and cas', () => {
    const m = new RegisterMachine();
    expect(m.apply({ command: { op: 'read', key: 'x' } })).toEqual({ ok: true, value: 0 });
    expect(m.apply({ command: { op: 'inc', key: 'x', delta: 1 } })).toEqual({ ok: true, value: 1 });
    expect(m.apply({ command: { op: 'inc', key: 'x', delta: 5 } })).toEqual({ ok: true, value: 6 });
    expect(m.apply({ command: { op: 'write', key: 'y', value: 9 } })).toEqual({ ok: true, value: 9 });
    expect(m.apply({ command: { op: 'cas', key: 'y', expected: 1, new: 2 } })).toEqual({ ok: false, error: 'cas-mismatch', value: 9 });
    expect(m.apply({ command: { op: 'cas', key: 'y', expected: 9, new: 2 } })).toEqual({ ok: true, value: 2 });
    expect(m.read('y')).toBe(2);
  });

  it('applies a retried increment (same client id and request id) once, returning the first result', () => {
    const m = new RegisterMachine();
    const inc = { command: { op: 'inc' as const, key: 'x', delta: 1 }, clientId: 'c1', requestId: '7' };
    expect(m.apply(inc)).toEqual({ ok: true, value: 1 });
    expect(m.apply(inc)).toEqual({ ok: true, value: 1 });
    expect(m.read('x')).toBe(1);
    // A late duplicate of an older request is not applied either.
    m.apply({ ...inc, requestId: '8' });
    expect(m.apply(inc).ok).toBe(false);
    expect(m.read('x')).toBe(2);
  });

  it('without dedup (the no-dedup bug) a retry applies twice', () => {
    const m = new RegisterMachine(false);
    const inc = { command: { op: 'inc' as const, key: 'x', delta: 1 }, clientId: 'c1', requestId: '7' };
    m.apply(inc);
    m.apply(inc);
    expect(m.read('x')).toBe(2);
  });

  it('snapshots and restores registers together with the dedup table', () => {
    const m = new RegisterMachine();
    const inc = { command: { op: 'inc' as const, key: 'x', delta: 1 }, clientId: 'c1', requestId: '1' };
    m.apply(inc);
    const copy = new RegisterMachine();
    copy.restore(structuredClone(m.snapshot()));
    expect(copy.apply(inc)).toEqual({ ok: true, value: 1 });
    expect(copy.digest()).toBe(m.digest());
  });
});
