import { describe, expect, it } from 'vitest';
import { compareBallots, maxBallot, ZERO_BALLOT } from '../../src/systems/paxos/core/ballot.ts';

describe('ballots', () => {
  it('order by round first, then by node id', () => {
    expect(compareBallots({ round: 2, node: 'n1' }, { round: 1, node: 'n3' })).toBe(1);
    expect(compareBallots({ round: 1, node: 'n1' }, { round: 1, node: 'n2' })).toBe(-1);
    expect(compareBallots({ round: 3, node: 'n2' }, { round: 3, node: 'n2' })).toBe(0);
  });
  it('every real ballot beats the zero ballot', () => {
    expect(compareBallots({ round: 1, node: 'n1' }, ZERO_BALLOT)).toBe(1);
    expect(maxBallot(ZERO_BALLOT, { round: 1, node: 'n1' })).toEqual({ round: 1, node: 'n1' });
  });
});
