// Porcupine's key-value store: string values per key; get, put, append (concatenation).
// Missing keys read as "".
import { stringifyExact } from '../formats/exact-json.ts';
import { spellOperation } from '../evidence/spell.ts';
import type { Operation } from '../types.ts';
import { ModelInputError, type Model } from './model.ts';

export interface KvOp {
  kind: 0 | 1 | 2;
  value: string;
  unknown: boolean;
  /**
   * For put and append, once the search steps them: hashOf(value), and HASH_BASE^value.length
   * (odd, so never 0: 0 means not yet worked out). See kv.hash.
   */
  hash: number;
  scale: number;
}

function str(v: unknown, what: string, op: Operation): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new ModelInputError(`kv ${what} must be a string, got ${stringifyExact(v)}`, op);
}

export const kv: Model<string, KvOp> = {
  name: 'kv',
  summary: "Porcupine's key-value store per key: get, put, append on strings; starts at \"\"",
  fs: ['get', 'put', 'append'],
  initial: '',
  initialFrom(v) {
    if (v === null) return '';
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    throw new Error(`a kv initial value must be a string, got ${stringifyExact(v)}`);
  },
  partitionKey: (op) => op.key ?? null,
  prepare(op) {
    const unknown = op.status === 'info';
    switch (op.f) {
      case 'get':
        return { kind: 0, value: unknown ? '' : str(op.output, 'get value', op), unknown: unknown || op.output === undefined, hash: 0, scale: 0 };
      case 'put':
        return { kind: 1, value: str(op.input, 'put value', op), unknown, hash: 0, scale: 0 };
      case 'append':
        return { kind: 2, value: str(op.input, 'append value', op), unknown, hash: 0, scale: 0 };
    }
    throw new ModelInputError(`the kv model has no "${op.f}" (it knows get, put, append)`, op);
  },
  step(s, p) {
    if (p.kind === 0) return p.unknown || s === p.value ? s : undefined;
    return p.kind === 1 ? p.value : s + p.value;
  },
  // From state s, later values are s + appends, or a put's value + appends. So a get of v is
  // possible later only if s is a prefix of v, or a put whose value is a prefix of v is unplaced.
  reach(ops) {
    // Positions of the puts, by value.
    const putsAt = new Map<string, number[]>();
    for (let i = 0; i < ops.length; i++) {
      const p = ops[i]!;
      if (p.kind === 1) putsAt.get(p.value)?.push(i) ?? putsAt.set(p.value, [i]);
    }
    // Methods, not arrow properties: see the note in checker/search/wgl.ts run() (tsx's keepNames).
    return {
      test(s, p) {
        return p.kind !== 0 || p.unknown || begins(p.value, s);
      },
      rescuerGroups(p) {
        return p.kind === 0 ? prefixGroups(putsAt, p.value) : [];
      },
      rescues(r, p) {
        return r.kind === 1 && p.kind === 0 && begins(p.value, r.value);
      },
      // After an append of w the value holds w until a put; after a put of x it starts with x.
      dooms(w, g) {
        if (g.kind !== 0 || g.unknown || w.unknown) return false;
        // From the end: in a get that is fine, a recent append sits near the end of the value.
        return w.kind === 2 ? w.value !== '' && g.value.lastIndexOf(w.value) === -1 : w.kind === 1 && !begins(g.value, w.value);
      },
    };
  },
  readOnly: (p) => p.kind === 0 || (p.kind === 2 && p.value === ''),
  stateKey: (s) => s,
  // A polynomial hash, so that an append's hash follows from the state's in O(1):
  // hashOf(s + w) = hashOf(s) * HASH_BASE^|w| + hashOf(w) (mod 2^32).
  hash: {
    of(s) {
      return hashOf(s);
    },
    after(h, _s, p) {
      // Worked out on first use: most ops of a small check are never stepped from a new state.
      if (p.scale === 0) {
        p.hash = hashOf(p.value);
        p.scale = power(p.value.length);
      }
      if (p.kind === 1) return p.hash;
      return p.kind === 2 ? (Math.imul(h, p.scale) + p.hash) | 0 : h;
    },
  },
  observes: (p) => (p.kind === 0 && !p.unknown ? p.value : undefined),
  opKey: (p) => stringifyExact(p),
  memoize: true,
  describeOp: spellOperation,
  describeState: (s) => JSON.stringify(s),
};

/** FNV's 32-bit prime, as a multiplier: odd, with its bits spread. */
const HASH_BASE = 0x01000193;

function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, HASH_BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** HASH_BASE^n (mod 2^32), by squaring. */
function power(n: number): number {
  let r = 1;
  for (let b = HASH_BASE; n > 0; n >>>= 1, b = Math.imul(b, b)) if (n & 1) r = Math.imul(r, b);
  return r;
}

/**
 * `v.startsWith(prefix)`, faster: V8's startsWith costs some 80-110 ns on these 40-character
 * values, where the search asks it for every candidate get at every step. lastIndexOf is a
 * third of that, but slow when the prefix is the longer (c50-bad's states outgrow its gets):
 * hence the length test first.
 */
function begins(v: string, prefix: string): boolean {
  return prefix.length <= v.length && v.lastIndexOf(prefix, 0) === 0;
}

/**
 * The groups (one per put value) whose value is a prefix of v: by v's prefixes or by the
 * distinct put values, whichever is fewer (a long key has many puts, usually of few values).
 */
function prefixGroups<T>(groups: Map<string, T[]>, v: string): T[][] {
  const out: T[][] = [];
  if (groups.size <= v.length + 1) {
    for (const [value, group] of groups) if (begins(v, value)) out.push(group);
  } else {
    for (let len = 0; len <= v.length; len++) {
      const group = groups.get(v.slice(0, len));
      if (group) out.push(group);
    }
  }
  return out;
}
