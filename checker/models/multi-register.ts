// Knossos' multi-register: registers named by keys, read and written in transactions. One op,
// `txn`, whose value is a list of micro-ops `[f, key, value]` with f `read` or `write`, applied in
// order; a read of nil is a read whose value is unknown and constrains nothing. An unwritten
// register holds nil (or what `--initial`, a map, says). Transactions span keys, so the whole
// history is one partition.
import { spellOperation } from '../evidence/spell.ts';
import { stringifyExact } from '../formats/exact-json.ts';
import { ModelInputError, type Model, type StateKey } from './model.ts';
import { describeValue, valueKey } from './values.ts';

/** Sorted [key, value] pairs; nil values are not stored. */
type Registers = readonly (readonly [string, StateKey])[];

export interface TxnOp {
  micro: readonly { write: boolean; key: string; value: StateKey }[];
  unknown: boolean;
}

const keyOf = (s: Registers) => stringifyExact(s);

function get(s: Registers, k: string): StateKey {
  for (const [key, v] of s) if (key === k) return v;
  return null;
}

function put(s: Registers, k: string, v: StateKey): Registers {
  const rest = s.filter(([key]) => key !== k);
  if (v !== null) rest.push([k, v]);
  return rest.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export const multiRegister: Model<Registers, TxnOp> = {
  name: 'multi-register',
  summary: 'keyed registers in transactions: txn [[read K V] [write K V]]',
  fs: ['txn'],
  initial: [],
  initialFrom(v) {
    if (v === null) return [];
    if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`a multi-register's initial value must be a map of key to value, got ${stringifyExact(v)}`);
    let s: Registers = [];
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) s = put(s, k, valueKey(x));
    return s;
  },
  partitionKey: () => null,
  prepare(op) {
    if (op.f !== 'txn') throw new ModelInputError(`the multi-register model has no "${op.f}" (it knows txn)`, op);
    const unknown = op.status === 'info';
    const value = unknown ? op.input : op.output;
    if (!Array.isArray(value)) throw new ModelInputError(`a txn value must be a list of [f key value], got ${stringifyExact(value)}`, op);
    const micro = value.map((m) => {
      if (!Array.isArray(m) || m.length !== 3 || (m[0] !== 'read' && m[0] !== 'write')) {
        throw new ModelInputError(`a txn micro-op must be [read|write key value], got ${stringifyExact(m)}`, op);
      }
      return { write: m[0] === 'write', key: String(m[1]), value: valueKey(m[2]) };
    });
    return { micro, unknown };
  },
  step(s, p) {
    let cur = s;
    for (const m of p.micro) {
      if (m.write) cur = put(cur, m.key, m.value);
      else if (!p.unknown && m.value !== null && get(cur, m.key) !== m.value) return undefined;
    }
    return cur;
  },
  readOnly: (p) => p.micro.every((m) => !m.write),
  stateKey: keyOf,
  opKey: (p) => stringifyExact(p),
  memoize: true,
  describeOp: spellOperation,
  describeState: (s) => `{${s.map(([k, v]) => `${k} ${describeValue(v)}`).join(', ')}}`,
};
