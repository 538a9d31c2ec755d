// Ballots order proposers: (round, node). Higher round wins; the node id breaks ties so two
// proposers never share a ballot. Safety rests on this total order alone.
import type { NodeId } from '../protocol.ts';

export interface Ballot {
  round: number;
  node: NodeId;
}

export const ZERO_BALLOT: Ballot = { round: 0, node: '' };

export function compareBallots(a: Ballot, b: Ballot): number {
  if (a.round !== b.round) return a.round < b.round ? -1 : 1;
  if (a.node === b.node) return 0;
  return a.node < b.node ? -1 : 1;
}

export function ballotEquals(a: Ballot, b: Ballot): boolean {
  return a.round === b.round && a.node === b.node;
}

export function maxBallot(a: Ballot, b: Ballot): Ballot {
  return compareBallots(a, b) >= 0 ? a : b;
}

export function formatBallot(b: Ballot): string {
  return `${b.round}.${b.node}`;
}
