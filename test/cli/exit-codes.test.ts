import { describe, expect, it } from 'vitest';
import { exitCodeFor, EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../../src/errors/exit-codes.ts';

describe('exitCodeFor', () => {
  it('is 0 when every verdict is valid (and for no verdicts)', () => {
    expect(exitCodeFor([true, true])).toBe(EXIT_VALID);
    expect(exitCodeFor([])).toBe(EXIT_VALID);
  });
  it('lets invalid win over unknown, whatever the order', () => {
    expect(exitCodeFor(['unknown', false, true])).toBe(EXIT_INVALID);
    expect(exitCodeFor([false, 'unknown'])).toBe(EXIT_INVALID);
  });
  it('is 2 when something is unknown and nothing invalid', () => {
    expect(exitCodeFor([true, 'unknown'])).toBe(EXIT_UNKNOWN);
  });
});
