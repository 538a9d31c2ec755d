// One spelling of an op for every place tenrec shows one (the checker's text, `show`, JUnit,
// the HTML report): `inc k3 by 1 → 97`, `read k3 → 96`, `write x := 2`, `cas x 1→2`,
// `put k "v"`, each with "(outcome unknown)" or "(failed)" when it did not complete ok.
import { describeValue, valueKey } from '../models/values.ts';
import { stringifyExact } from '../formats/exact-json.ts';

export type SpelledOutcome = 'ok' | 'info' | 'fail';

export interface SpellableOp {
  f: string;
  key?: string;
  input: unknown;
  output?: unknown;
  outcome: SpelledOutcome;
  compareFailed?: boolean;
}

const show = (v: unknown) => describeValue(valueKey(v));

export function spellOp(op: SpellableOp): string {
  const on = op.key === undefined ? '' : ` ${op.key}`;
  const unknown = op.outcome === 'info';
  const suffix = unknown ? ' (outcome unknown)' : op.outcome === 'fail' ? ' (failed)' : '';
  switch (op.f) {
    case 'read':
    case 'get': {
      if (op.outcome === 'fail') return `${op.f}${on} (failed)`;
      const v = unknown ? '?' : op.f === 'get' ? stringifyExact(op.output ?? '') : show(op.output);
      return `${op.f}${on} → ${v}`;
    }
    case 'write':
      return `write${on} := ${show(op.input)}${suffix}`;
    case 'cas': {
      const v = Array.isArray(op.input) ? op.input : [undefined, undefined];
      const pair = `${show(v[0])}→${show(v[1])}`;
      return `cas${on} ${pair}${op.compareFailed ? ' (compare failed)' : suffix}`;
    }
    case 'inc': {
      const by = `inc${on} by ${stringifyExact(op.input ?? 1)}`;
      if (op.outcome !== 'ok') return `${by}${suffix}`;
      return op.output === null || op.output === undefined ? by : `${by} → ${stringifyExact(op.output)}`;
    }
    case 'put':
    case 'append':
      return `${op.f}${on} ${stringifyExact(op.input ?? '')}${suffix}`;
    case 'add':
    case 'enqueue':
      return `${op.f}${on} ${show(op.input)}${suffix}`;
    case 'dequeue':
      if (op.outcome !== 'ok') return `dequeue${on}${suffix}`;
      return `dequeue${on} → ${show(op.output)}`;
    case 'acquire':
    case 'release':
      return `${op.f}${on}${suffix}`;
    case 'txn': {
      const v = op.outcome === 'ok' ? op.output : op.input;
      const micro = Array.isArray(v) ? v.map((m) => (Array.isArray(m) ? `[${m.map((x, i) => (i === 2 ? show(x) : String(x))).join(' ')}]` : show(m))).join(' ') : show(v);
      return `txn${on} [${micro}]${suffix}`;
    }
    default: {
      const out = op.outcome === 'ok' && op.output !== undefined ? ` → ${stringifyExact(op.output)}` : '';
      return `${op.f}${on} ${stringifyExact(op.input ?? null)}${out}${suffix}`;
    }
  }
}

/** The checker's operations carry `status`; a kept compare-failed cas is `ok` with the flag. */
export function spellOperation(op: { f: string; key?: string; input: unknown; output: unknown; status: 'ok' | 'info'; compareFailed?: true }): string {
  // One literal, no spread-in optional fields: this runs for every anomaly of a tiny check.
  return spellOp({ f: op.f, key: op.key, input: op.input, output: op.output, outcome: op.status, compareFailed: op.compareFailed });
}
