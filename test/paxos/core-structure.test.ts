// The core's shape (issue: the core untangled): no import circles among its modules, each role's
// state written only by the modules of that role, and what enters from the wire or the disk
// checked once, field by field (core/wire.ts).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { decodeEntry, decodeMessage, WireError } from '../../src/systems/paxos/core/wire.ts';

const CORE = path.resolve('src/systems/paxos/core');

/** Every relative import and re-export of every .ts file under `roots`, as a graph of absolute paths. */
function importGraph(roots: string[]): Map<string, string[]> {
  const g = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        // Type-only imports cannot make a cycle at run time, but none at all is the rule.
        const deps = [...text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)';$/gm)].map((m) => path.resolve(dir, m[1]!));
        g.set(p, deps);
      }
    }
  };
  for (const r of roots) walk(path.resolve(r));
  return g;
}

function findCycle(g: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const d of g.get(n) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of g.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

describe('the Paxos core', () => {
  it('has no import circles, nor has the project; the read index imports nothing that sends', () => {
    const core = importGraph([CORE]);
    expect(core.size).toBeGreaterThan(10);
    expect(findCycle(core)).toBeUndefined();
    expect(core.get(path.join(CORE, 'read-index.ts'))!.map((d) => path.basename(d))).toEqual(['protocol.ts']);
    const project = importGraph(['src', 'checker', 'workloads', 'nemesis']);
    expect(project.size).toBeGreaterThan(150);
    expect(findCycle(project)?.map((p) => path.relative(process.cwd(), p))).toBeUndefined();
  });

  it('each role owns its state: every field of the replica context is written only by its owners', () => {
    // Who may write what (assignment, ++, or a Map/Set's set/delete/clear). Restart (recovery.ts)
    // and snapshots rebuild acceptor and learner state wholesale, so they are owners too.
    const owners: Record<string, string[]> = {
      promised: ['acceptor', 'recovery'],
      accepted: ['acceptor', 'recovery', 'snapshot'],
      maxRoundSeen: ['acceptor', 'recovery'],
      role: ['election', 'leader'],
      leader: ['election', 'leader'],
      leaderBallot: ['election', 'leader'],
      lastLeaderContact: ['election', 'leader'],
      electionDeadline: ['election', 'leader'],
      started: ['election'],
      campaigns: ['election'],
      candidacy: ['election', 'leader'],
      leadership: ['election', 'leader'],
      lastFetch: ['learner'],
      pending: ['forwarding', 'context'],
      learnedTrail: ['replica'],
      durableThrough: ['leader'],
      now: ['replica'],
      wall: ['replica'],
      leaseGrant: ['lease'],
      configSlot: ['context'],
      config: ['context'],
    };
    const writers = new Map<string, Set<string>>();
    for (const file of fs.readdirSync(CORE).filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(CORE, file), 'utf8');
      const writes = [...text.matchAll(/\b(?:ctx|this)\.(\w+)(?:\s*(?:=(?!=)|\+\+|\+=|-=)|\.(?:set|delete|clear)\()/g)].map((m) => m[1]!);
      for (const field of writes) {
        if (!writers.has(field)) writers.set(field, new Set());
        writers.get(field)!.add(file.replace(/\.ts$/, ''));
      }
    }
    for (const [field, by] of writers) {
      if (!(field in owners)) continue; // not replica state (the Ready being built, settings, …)
      expect([...by].filter((m) => !owners[field]!.includes(m)), `${field} written outside its owners`).toEqual([]);
    }
    // The check sees writes at all (it would pass vacuously otherwise).
    expect(writers.get('promised')).toEqual(new Set(['acceptor', 'recovery']));
  });

  it('finds a circle when there is one (the check itself works)', () => {
    expect(findCycle(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']]]))).toEqual(['a.ts', 'b.ts', 'a.ts']);
  });
});

describe('wire decoding', () => {
  const ballot = { round: 3, node: 'n2' };
  const batch = { kind: 'batch', cmds: [{ command: { op: 'inc', key: 'k', delta: 1 }, clientId: 'c', requestId: '7', origin: { node: 'n1', id: '5' } }] };

  it('accepts every message type as the core writes it, unchanged', () => {
    const messages = [
      { type: 'prepare', ballot, from: 4 },
      { type: 'promise', ballot, accepted: [[5, ballot, batch]], snapshot: { index: 4, machine: { registers: [['k', 2]], dedup: [['c', { requestId: '6', result: { ok: true, value: 2 } }]] } } },
      { type: 'accept', ballot, slot: 5, value: { kind: 'noop' }, commit: 4 },
      { type: 'accepted', ballot, slot: 5 },
      { type: 'nack', ballot, promised: { round: 4, node: 'n3' } },
      { type: 'heartbeat', ballot, commit: 4, seq: 9 },
      { type: 'heartbeat-ack', ballot, seq: 9, commit: 4 },
      { type: 'campaign-now', ballot },
      { type: 'accept', ballot, slot: 6, value: { kind: 'config', voters: ['n1', 'n2', 'n4'], learners: ['n5'] }, commit: 5 },
      { type: 'entries', entries: [], snapshot: { index: 4, machine: { registers: [], dedup: [] }, config: { voters: ['n2'], learners: [] }, configSlot: 3 } },
      { type: 'forward', request: { id: 'r2', command: { op: 'add-member', node: 'n4' } } },
      { type: 'fetch', from: 2 },
      { type: 'entries', entries: [[2, batch]] },
      { type: 'forward', request: { id: 'r1', command: { op: 'cas', key: 'k', expected: 1, new: 2 } } },
      { type: 'forward-reply', id: 'r1', result: { ok: false, error: 'not-leader', leader: null } },
    ];
    for (const m of messages) expect(decodeMessage(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(decodeEntry({ type: 'accept', slot: 5, ballot, value: batch })).toEqual({ type: 'accept', slot: 5, ballot, value: batch });
  });

  it('refuses what the core never writes, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [null, /message is not an object/],
      [{ type: 'gossip' }, /message type "gossip" is unknown/],
      [{ type: 'accept', ballot, slot: 0, value: { kind: 'noop' }, commit: 0 }, /slot is not an integer ≥ 1/],
      [{ type: 'accept', ballot: { round: -1, node: 'n1' }, slot: 1, value: { kind: 'noop' }, commit: 0 }, /ballot.round/],
      [{ type: 'accept', ballot, slot: 1, value: { kind: 'batch', cmds: [{ command: { op: 'drop', key: 'k' } }] }, commit: 0 }, /command.op "drop" is unknown/],
      [{ type: 'accept', ballot, slot: 1, value: { kind: 'batch', cmds: [{ command: { op: 'inc', key: 'k', delta: 1.5 } }] }, commit: 0 }, /command.delta/],
      [{ type: 'heartbeat', ballot, commit: '4', seq: 1 }, /commit is not an integer/],
      [{ type: 'promise', ballot, accepted: [[1, ballot]] }, /accepted\[0\] is not \[slot, ballot, value\]/],
      [{ type: 'accept', ballot, slot: 1, value: { kind: 'config', voters: [], learners: [] }, commit: 0 }, /config.voters is empty/],
      [{ type: 'accept', ballot, slot: 1, value: { kind: 'config', voters: ['n1', 'n1'], learners: [] }, commit: 0 }, /lists a node twice/],
      [{ type: 'accept', ballot, slot: 1, value: { kind: 'config', voters: ['n1'], learners: ['n1'] }, commit: 0 }, /both voter and learner/],
      [{ type: 'accept', ballot, slot: 1, value: { kind: 'batch', cmds: [{ command: { op: 'add-member', node: 'n4' } }] }, commit: 0 }, /cannot sit in a batch/],
      [{ type: 'heartbeat-ack', ballot, seq: 1 }, /commit is not an integer/],
    ];
    for (const [raw, why] of bad) expect(() => decodeMessage(raw)).toThrow(why);
    expect(() => decodeEntry({ type: 'promise' })).toThrow(WireError);
    expect(() => decodeEntry({ type: 'accept', slot: 1, ballot, value: 'v1' })).toThrow(/slot value is not an object/);
  });
});
