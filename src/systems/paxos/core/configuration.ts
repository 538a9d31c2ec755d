// Who votes. A configuration is decided by the log: a `config` slot value chosen at slot j
// governs every slot after j (and nothing before it). Voters form the quorums; learners receive
// everything a voter does (a joining replica catches up as one) but their votes never count.
// Changes move one voter at a time, so a majority of the configuration before a change and a
// majority of the one after always share a member (docs/paxos-design.md, "Membership").
import type { NodeId } from '../protocol.ts';

export interface Configuration {
  voters: readonly NodeId[];
  learners: readonly NodeId[];
}

export function majority(c: Configuration): number {
  return Math.floor(c.voters.length / 2) + 1;
}

/** Everyone the leader sends to: voters and learners. */
export function everyone(c: Configuration): NodeId[] {
  return [...c.voters, ...c.learners];
}

export function sameConfiguration(a: Configuration, b: Configuration): boolean {
  return a.voters.join(',') === b.voters.join(',') && a.learners.join(',') === b.learners.join(',');
}

export type { MemberCommand as MemberChange } from '../protocol.ts';
import type { MemberCommand as MemberChange } from '../protocol.ts';

/**
 * The next step of a change from `c`, or why there is none. Adding goes through a learner stage
 * (the node first catches up, then it votes); removing takes a node out of both lists.
 */
export function stepTowards(c: Configuration, change: MemberChange): { next: Configuration } | { done: true } | { refused: string } {
  const { node } = change;
  if (change.op === 'add-member') {
    if (c.voters.includes(node)) return { done: true };
    if (c.learners.includes(node)) return { next: { voters: sortIds([...c.voters, node]), learners: c.learners.filter((l) => l !== node) } };
    return { next: { voters: c.voters, learners: sortIds([...c.learners, node]) } };
  }
  if (!c.voters.includes(node) && !c.learners.includes(node)) return { done: true };
  if (c.voters.length === 1 && c.voters[0] === node) return { refused: `${node} is the only voter; removing it would leave no one to choose anything` };
  return { next: { voters: c.voters.filter((v) => v !== node), learners: c.learners.filter((l) => l !== node) } };
}

/** Ids in one order on every replica: numeric where they end in numbers (n10 after n9). */
export function sortIds(ids: readonly NodeId[]): NodeId[] {
  return [...ids].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
