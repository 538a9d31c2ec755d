// A read/write register (and, with cas, a compare-and-set register): each key holds one value.
import { stringifyExact } from '../formats/exact-json.ts';
import { spellOperation } from '../evidence/spell.ts';
import type { Operation } from '../types.ts';
import { ModelInputError, type Model, type StateKey } from './model.ts';
import { describeValue, valueKey } from './values.ts';

const READ = 0;
const WRITE = 1;
const CAS = 2;
/** A cas whose compare certainly did not match: it saw a value other than `a`, changed nothing. */
const CAS_MISSED = 3;

export interface RegisterOp {
  kind: number;
  a: StateKey;
  b: StateKey;
  /** Outcome unknown: accepted in every state; or, for a read, output not known. */
  unknown: boolean;
}

export function casPair(op: Operation): [unknown, unknown] {
  const v = op.input;
  if (!Array.isArray(v) || v.length !== 2) {
    throw new ModelInputError(`cas value must be a pair [expected, new], got ${stringifyExact(v)}`, op);
  }
  return [v[0], v[1]];
}

export function describeRegisterOp(op: Operation): string {
  return spellOperation(op);
}

/**
 * Drops crashed writes/cas whose new value nobody could observe: no read returned it and no
 * cas expected it. Sound and complete: (⇐) put the dropped op last, where an `info` op is always
 * legal. (⇒) take a linearization with the op at p; delete it. Until the next write, nothing
 * could tell the value apart (no read returns it, no ok cas expects it); `info` cas ops there
 * were no-ops on that value and may now fire, so move them to the very end (legal for `info`
 * ops, and nothing observes the final state). After the next write, everything is unchanged.
 * A compare-failed cas observes "not a", which a deletion could break, so histories with those
 * keep every op.
 */
function pruneUnobservedWrites(ops: Operation[]): Operation[] {
  const observed = new Set<StateKey>();
  for (const op of ops) {
    if (op.compareFailed) return ops;
    if (op.f === 'read' && op.status === 'ok' && op.output !== undefined) observed.add(valueKey(op.output));
    if (op.f === 'cas' && Array.isArray(op.input)) observed.add(valueKey(op.input[0]));
  }
  return ops.filter((op) => {
    if (op.status !== 'info') return true;
    if (op.f === 'write') return observed.has(valueKey(op.input));
    if (op.f === 'cas' && Array.isArray(op.input)) return observed.has(valueKey(op.input[1]));
    return true;
  });
}

/** A StateKey as text, one-to-one (strings quoted, so "1" and 1 differ). */
function keyText(k: StateKey): string {
  return typeof k === 'string' ? JSON.stringify(k) : String(k);
}

function makeRegister(name: string, withCas: boolean): Model<StateKey, RegisterOp> {
  const fs = withCas ? ['read', 'write', 'cas'] : ['read', 'write'];
  return {
    name,
    summary: withCas
      ? 'compare-and-set register per key: read, write, cas [expected, new]; starts at 0'
      : 'read/write register per key; starts at 0',
    fs,
    initial: 0,
    initialFrom: (v) => valueKey(v),
    partitionKey: (op) => op.key ?? null,
    prepare(op) {
      const unknown = op.status === 'info';
      switch (op.f) {
        case 'read':
          return { kind: READ, a: valueKey(op.output), b: null, unknown: unknown || op.output === undefined };
        case 'write':
          return { kind: WRITE, a: valueKey(op.input), b: null, unknown };
        case 'cas': {
          if (!withCas) break;
          const [a, b] = casPair(op);
          if (op.compareFailed) return { kind: CAS_MISSED, a: valueKey(a), b: null, unknown: false };
          return { kind: CAS, a: valueKey(a), b: valueKey(b), unknown };
        }
      }
      throw new ModelInputError(`the ${name} model has no "${op.f}" (it knows ${fs.join(', ')})`, op);
    },
    step(s, p) {
      switch (p.kind) {
        case READ:
          return p.unknown || s === p.a ? s : undefined;
        case WRITE:
          return p.a;
        case CAS:
          if (s === p.a) return p.b;
          return p.unknown ? s : undefined;
        default:
          return s === p.a ? undefined : s;
      }
    },
    readOnly: (p) => p.kind === READ || p.kind === CAS_MISSED || (p.kind === CAS && p.a === p.b),
    stateKey: (s) => s,
    observes: (p) => (p.kind === READ && !p.unknown ? p.a : undefined),
    opKey: (p) => `${p.kind}${p.unknown ? 'u' : 'k'}${keyText(p.a)} ${keyText(p.b)}`,
    describeOp: describeRegisterOp,
    describeState: (s) => describeValue(s),
    prune: pruneUnobservedWrites,
  };
}

export const register = makeRegister('register', false);
export const casRegister = makeRegister('cas-register', true);
