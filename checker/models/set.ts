// Knossos' set: `add` puts an element in, `read` returns the whole set (a list, order ignored);
// starts empty. States are the sorted element keys, so equal sets are one state.
import { spellOperation } from '../evidence/spell.ts';
import { stringifyExact } from '../formats/exact-json.ts';
import { ModelInputError, type Model, type StateKey } from './model.ts';
import { describeValue, valueKey } from './values.ts';

type Elements = readonly StateKey[];

export interface SetOp {
  read: boolean;
  /** add: the element; read: the set seen (sorted, unique). */
  element: StateKey;
  seen: Elements | null;
}

/** Numbers first, in numeric order, then everything else by its key text: one order per set. */
const order = (a: StateKey, b: StateKey): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

function asSet(v: unknown, what: string, fail: (m: string) => Error): Elements {
  if (!Array.isArray(v)) throw fail(`${what} must be a list of elements, got ${stringifyExact(v)}`);
  return [...new Set(v.map(valueKey))].sort(order);
}

const keyOf = (s: Elements) => stringifyExact(s);

export const set: Model<Elements, SetOp> = {
  name: 'set',
  summary: 'set per key: add ELEMENT, read (the whole set); starts empty',
  fs: ['add', 'read'],
  initial: [],
  initialFrom: (v) => asSet(v, "a set's initial value", (m) => new Error(m)),
  partitionKey: (op) => op.key ?? null,
  prepare(op) {
    if (op.f === 'add') return { read: false, element: valueKey(op.input), seen: null };
    if (op.f === 'read') {
      const seen = op.status === 'info' || op.output === null || op.output === undefined ? null : asSet(op.output, 'a set read', (m) => new ModelInputError(m, op));
      return { read: true, element: null, seen };
    }
    throw new ModelInputError(`the set model has no "${op.f}" (it knows add, read)`, op);
  },
  step(s, p) {
    if (p.read) return p.seen === null || keyOf(p.seen) === keyOf(s) ? s : undefined;
    if (s.includes(p.element)) return s;
    return [...s, p.element].sort(order);
  },
  // Only adds: a read of R is still possible from s only if every element of s is in R.
  reach: () => ({ test: (s, p) => !p.read || p.seen === null || s.every((e) => p.seen!.includes(e)) }),
  readOnly: (p) => p.read,
  stateKey: keyOf,
  observes: (p) => (p.read && p.seen !== null ? p.seen : undefined),
  opKey: (p) => stringifyExact(p),
  memoize: true,
  describeOp: spellOperation,
  describeState: (s) => `#{${s.map(describeValue).join(' ')}}`,
};
