// Peer messages and durable records come from the network and the disk as plain JSON: decoded
// and checked here, once, where they enter (the node's transport and WAL, the simulator), so the
// core only ever sees the typed unions of messages.ts and DurableEntry below. A value that fails
// is refused with the reason, never half-trusted.
import type { Ballot } from './ballot.ts';
import type { SlotValue, SnapshotData } from './log.ts';
import type { AcceptedEntry, Message } from './messages.ts';
import type { LoggedCommand } from './state-machine.ts';

/** What the core asks its driver to make durable, and reads back at start. */
export type DurableEntry =
  | { type: 'promise'; ballot: Ballot }
  | { type: 'accept'; slot: number; ballot: Ballot; value: SlotValue }
  /** Replaces the whole log: the state machine at an index, the promise, open accepts. */
  | { type: 'snapshot'; snapshot: SnapshotData; promised: Ballot; accepted: AcceptedEntry[] };

export class WireError extends Error {}

type Obj = Record<string, unknown>;

function fail(what: string): never {
  throw new WireError(what);
}

function obj(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} is not an object`);
  return v as Obj;
}

function int(v: unknown, what: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(`${what} is not an integer ≥ ${min}`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length > 1 << 16) fail(`${what} is not a string (of at most 65536 characters)`);
  return v;
}

function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) fail(`${what} is not an array`);
  return v;
}

function ballot(v: unknown, what = 'ballot'): Ballot {
  const o = obj(v, what);
  return { round: int(o.round, `${what}.round`), node: str(o.node, `${what}.node`) };
}

function command(v: unknown): void {
  const o = obj(v, 'command');
  if (o.op === 'add-member' || o.op === 'remove-member') {
    str(o.node, 'command.node');
    return;
  }
  str(o.key, 'command.key');
  switch (o.op) {
    case 'read':
      return;
    case 'write':
      int(o.value, 'command.value', -Number.MAX_SAFE_INTEGER);
      return;
    case 'inc':
      int(o.delta, 'command.delta', -Number.MAX_SAFE_INTEGER);
      return;
    case 'cas':
      int(o.expected, 'command.expected', -Number.MAX_SAFE_INTEGER);
      int(o.new, 'command.new', -Number.MAX_SAFE_INTEGER);
      return;
  }
  fail(`command.op ${JSON.stringify(o.op)} is unknown`);
}

function ids(v: unknown, what: string): string[] {
  const list = arr(v, what).map((x, i) => str(x, `${what}[${i}]`));
  if (new Set(list).size !== list.length) fail(`${what} lists a node twice`);
  return list;
}

function configuration(v: unknown, what: string): { voters: string[]; learners: string[] } {
  const o = obj(v, what);
  const voters = ids(o.voters, `${what}.voters`);
  const learners = ids(o.learners, `${what}.learners`);
  if (voters.length === 0) fail(`${what}.voters is empty`);
  if (learners.some((l) => voters.includes(l))) fail(`${what} has a node both voter and learner`);
  return { voters, learners };
}

function loggedCommand(v: unknown): LoggedCommand {
  const o = obj(v, 'logged command');
  command(o.command);
  if (o.command !== null && typeof o.command === 'object' && 'node' in o.command) fail('a membership command cannot sit in a batch');
  if (o.clientId !== undefined) str(o.clientId, 'clientId');
  if (o.requestId !== undefined) str(o.requestId, 'requestId');
  if (o.origin !== undefined) {
    const g = obj(o.origin, 'origin');
    str(g.node, 'origin.node');
    str(g.id, 'origin.id');
  }
  return o as unknown as LoggedCommand;
}

function slotValue(v: unknown): SlotValue {
  const o = obj(v, 'slot value');
  if (o.kind === 'noop') return { kind: 'noop' };
  if (o.kind === 'config') return { kind: 'config', ...configuration(o, 'config') };
  if (o.kind !== 'batch') fail(`slot value kind ${JSON.stringify(o.kind)} is unknown`);
  return { kind: 'batch', cmds: arr(o.cmds, 'batch.cmds').map(loggedCommand) };
}

function accepted(v: unknown): AcceptedEntry[] {
  return arr(v, 'accepted').map((e, i) => {
    const t = arr(e, `accepted[${i}]`);
    if (t.length !== 3) fail(`accepted[${i}] is not [slot, ballot, value]`);
    return [int(t[0], 'accepted slot', 1), ballot(t[1]), slotValue(t[2])];
  });
}

function snapshotData(v: unknown): SnapshotData {
  const o = obj(v, 'snapshot');
  const m = obj(o.machine, 'snapshot.machine');
  for (const r of arr(m.registers, 'registers')) {
    const t = arr(r, 'register');
    str(t[0], 'register key');
    int(t[1], 'register value', -Number.MAX_SAFE_INTEGER);
  }
  for (const d of arr(m.dedup, 'dedup')) {
    const t = arr(d, 'dedup entry');
    str(t[0], 'dedup client');
    str(obj(t[1], 'dedup entry').requestId, 'dedup requestId');
  }
  const data: SnapshotData = { index: int(o.index, 'snapshot.index'), machine: m as unknown as SnapshotData['machine'] };
  if (o.config !== undefined) data.config = configuration(o.config, 'snapshot.config');
  if (o.configSlot !== undefined) data.configSlot = int(o.configSlot, 'snapshot.configSlot');
  return data;
}

/** A peer message, checked field by field; throws WireError naming what is wrong. */
export function decodeMessage(raw: unknown): Message {
  const m = obj(raw, 'message');
  switch (m.type) {
    case 'prepare':
      return { type: 'prepare', ballot: ballot(m.ballot), from: int(m.from, 'from') };
    case 'promise':
      return { type: 'promise', ballot: ballot(m.ballot), accepted: accepted(m.accepted), ...(m.snapshot !== undefined ? { snapshot: snapshotData(m.snapshot) } : {}) };
    case 'accept':
      return { type: 'accept', ballot: ballot(m.ballot), slot: int(m.slot, 'slot', 1), value: slotValue(m.value), commit: int(m.commit, 'commit') };
    case 'accepted':
      return { type: 'accepted', ballot: ballot(m.ballot), slot: int(m.slot, 'slot', 1) };
    case 'nack':
      return { type: 'nack', ballot: ballot(m.ballot), promised: ballot(m.promised, 'promised') };
    case 'heartbeat':
      return { type: 'heartbeat', ballot: ballot(m.ballot), commit: int(m.commit, 'commit'), seq: int(m.seq, 'seq') };
    case 'heartbeat-ack':
      return { type: 'heartbeat-ack', ballot: ballot(m.ballot), seq: int(m.seq, 'seq'), commit: int(m.commit, 'commit') };
    case 'campaign-now':
      return { type: 'campaign-now', ballot: ballot(m.ballot) };
    case 'fetch':
      return { type: 'fetch', from: int(m.from, 'from') };
    case 'entries': {
      const entries = arr(m.entries, 'entries').map((e, i): [number, SlotValue] => {
        const t = arr(e, `entries[${i}]`);
        return [int(t[0], 'entry slot', 1), slotValue(t[1])];
      });
      return { type: 'entries', entries, ...(m.snapshot !== undefined ? { snapshot: snapshotData(m.snapshot) } : {}) };
    }
    case 'forward': {
      const r = obj(m.request, 'request');
      str(r.id, 'request.id');
      command(r.command);
      if (r.clientId !== undefined) str(r.clientId, 'request.clientId');
      if (r.requestId !== undefined) str(r.requestId, 'request.requestId');
      return { type: 'forward', request: r as unknown as Extract<Message, { type: 'forward' }>['request'] };
    }
    case 'forward-reply': {
      const result = obj(m.result, 'result');
      if (typeof result.ok !== 'boolean') fail('result.ok is not a boolean');
      return { type: 'forward-reply', id: str(m.id, 'id'), result: result as unknown as Extract<Message, { type: 'forward-reply' }>['result'] };
    }
  }
  fail(`message type ${JSON.stringify(m.type)} is unknown`);
}

/** A durable record read back from the log; throws WireError naming what is wrong. */
export function decodeEntry(raw: unknown): DurableEntry {
  const r = obj(raw, 'record');
  switch (r.type) {
    case 'promise':
      return { type: 'promise', ballot: ballot(r.ballot) };
    case 'accept':
      return { type: 'accept', slot: int(r.slot, 'slot', 1), ballot: ballot(r.ballot), value: slotValue(r.value) };
    case 'snapshot':
      return { type: 'snapshot', snapshot: snapshotData(r.snapshot), promised: ballot(r.promised, 'promised'), accepted: accepted(r.accepted) };
  }
  fail(`record type ${JSON.stringify(r.type)} is unknown`);
}
