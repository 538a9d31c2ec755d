// The sans-IO Multi-Paxos replica core. Drivers need only createReplica and src/systems/paxos/types.ts.
export { createReplica, type Replica } from './replica.ts';
export { compareBallots, type Ballot } from './ballot.ts';
export { RegisterMachine, type LoggedCommand } from './state-machine.ts';
export type { SlotValue, SnapshotData } from './log.ts';
export type { Message } from './messages.ts';
