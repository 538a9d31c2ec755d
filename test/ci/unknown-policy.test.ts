import { describe, expect, it } from 'vitest';
import { gate, parseUnknownPolicy } from '../../src/ci/unknown-policy.ts';
import { UserError } from '../../src/errors/user-error.ts';

describe('gate', () => {
  it('exits 1 when anything is invalid, whatever the policy', () => {
    expect(gate([true, 'unknown', false], 'pass').code).toBe(1);
    expect(gate([false], 'fail').code).toBe(1);
  });
  it('exits 2 on unknown by default and says why', () => {
    const g = gate([true, 'unknown']);
    expect(g.code).toBe(2);
    expect(g.note).toMatch(/1 check was inconclusive.*--unknown fail is the default/);
  });
  it('exits 0 on unknown under --unknown pass, with a note', () => {
    const g = gate(['unknown', 'unknown'], 'pass');
    expect(g).toEqual({ code: 0, note: expect.stringContaining('2 checks were inconclusive') });
  });
  it('exits 0 with no note when everything is valid', () => {
    expect(gate([true, true], 'fail')).toEqual({ code: 0 });
  });
  it('rejects other spellings as a user error', () => {
    expect(parseUnknownPolicy(undefined)).toBe('fail');
    expect(parseUnknownPolicy('pass')).toBe('pass');
    expect(() => parseUnknownPolicy('maybe')).toThrow(UserError);
  });
});
