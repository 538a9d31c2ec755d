// P-compositionality run backwards: a keyed model seen as ONE state holding every key's
// state. Used when a history must be checked unpartitioned (benchmarks, cross-key models).
import type { Operation } from '../types.ts';
import type { AnyModel, Model, Reach, StateKey } from './model.ts';

interface ProductState {
  /** Each key's sub-state, as its id in that key's KeyStates, by key index; missing keys are at 0 (`initial`). */
  ids: number[];
  /**
   * A short identity for the whole map (see keyOf). Made when first asked: a state the search
   * never interns (the call-order pass) never needs it.
   */
  key?: StateKey;
}

interface ProductOp {
  k: number;
  p: unknown;
  /**
   * This op's transitions on its key, by sub-state id: the id after, or -1 when illegal there.
   * The product's search meets the same key in the same sub-state under many combinations of
   * the other keys; a sub-state is stepped and interned once, not once per combination.
   */
  after: number[];
}

/** One key's sub-states, interned to small ids; 0 is `initial`. */
interface KeyStates {
  ids: Map<StateKey, number>;
  states: unknown[];
}

/** The id of `s` among one key's sub-states, interning it when new. */
function subId(model: AnyModel, into: KeyStates, s: unknown): number {
  const k = model.stateKey(s);
  let id = into.ids.get(k);
  if (id === undefined) {
    into.ids.set(k, (id = into.states.length));
    into.states.push(s);
  }
  return id;
}

/** Key k's sub-state id in s (0, `initial`, past the keys s lists). */
function sub(s: ProductState, k: number): number {
  return k < s.ids.length ? s.ids[k]! : 0;
}

// Module-level functions and methods, not `const f = () => …` or arrow properties: tsx compiles
// with esbuild's keepNames, which wraps each of those in a defineProperty call every time
// unpartitioned() runs, once per check (see the note in checker/search/wgl.ts run()).
export function unpartitioned(model: AnyModel, initial: unknown): Model<ProductState, ProductOp> {
  const keyIndex = new Map<string | null, number>();
  const keys: (string | null)[] = [];
  const perKey: KeyStates[] = [];
  const empty: ProductState = { ids: [] };
  const self: Model<ProductState, ProductOp> = {
    name: model.name,
    summary: model.summary,
    fs: model.fs,
    // Keys appear as ops are prepared; a key never touched so far is at `initial`.
    initial: empty,
    initialFrom() {
      return empty;
    },
    partitionKey() {
      return null;
    },
    prepare(op: Operation) {
      const key = model.partitionKey(op);
      let k = keyIndex.get(key);
      if (k === undefined) {
        keyIndex.set(key, (k = keys.length));
        keys.push(key);
        perKey.push({ ids: new Map([[model.stateKey(initial), 0]]), states: [initial] });
      }
      return { k, p: model.prepare(op), after: [] };
    },
    step(s, op) {
      const before = sub(s, op.k);
      let after = op.after[before];
      if (after === undefined) {
        const own = perKey[op.k]!;
        const next = model.step(own.states[before], op.p);
        op.after[before] = after = next === undefined ? -1 : subId(model, own, next);
      }
      if (after === -1) return undefined;
      if (after === before) return s;
      const ids = s.ids.slice();
      while (ids.length < op.k) ids.push(0);
      ids[op.k] = after;
      // Trailing keys at `initial` dropped: one state, one key, whichever keys were touched.
      while (ids.length > 0 && ids[ids.length - 1] === 0) ids.pop();
      return { ids };
    },
    readOnly(op) {
      return model.readOnly(op.p);
    },
    // Per key, as the base model knows it; a key's state is its entry of the map.
    reach(ops) {
      if (!model.reach) return undefined;
      // Each key's ops, and where they sit in `ops`: the base model's positions are within its key.
      const byKey: ProductOp[][] = keys.map(() => []);
      const at: number[][] = keys.map(() => []);
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        byKey[op.k]!.push(op);
        at[op.k]!.push(i);
      }
      // By key index (an array: the search asks test() of every candidate at every step).
      const tests: (Reach<unknown, unknown> | undefined)[] = new Array(keys.length);
      const wrappedGroups = new Map<readonly number[], number[]>();
      let positionOf: Map<unknown, number> | undefined;
      byKey.forEach((g, k) => {
        const r = g.length === 0 ? undefined : model.reach!(g.map((op) => op.p));
        tests[k] = r;
      });
      if (!tests.some((r) => r !== undefined)) return undefined;
      return {
        test(s, op) {
          const r = tests[op.k];
          return r === undefined || r.test(perKey[op.k]!.states[sub(s, op.k)], op.p);
        },
        // Positions in `ops`, whichever way the base model lists them.
        rescuerGroups(op) {
          const r = tests[op.k];
          if (r?.rescuerGroups) {
            const places = at[op.k]!;
            return r.rescuerGroups(op.p).map((g) => {
              let w = wrappedGroups.get(g);
              if (w === undefined) wrappedGroups.set(g, (w = g.map((j) => places[j]!)));
              return w;
            });
          }
          if (!r?.rescuers) return [];
          if (positionOf === undefined) {
            positionOf = new Map<unknown, number>();
            ops.forEach((o, i) => positionOf!.set(o.p, i));
          }
          return [r.rescuers(op.p).map((q) => positionOf!.get(q)!)];
        },
        rescues(r, op) {
          const t = tests[op.k];
          return r.k === op.k && t?.rescues !== undefined && t.rescues(r.p, op.p);
        },
        dooms(writer, observer) {
          const r = tests[observer.k];
          return writer.k === observer.k && r?.dooms !== undefined && r.dooms(writer.p, observer.p);
        },
      };
    },
    stateKey(s) {
      return (s.key ??= keyOf(s.ids));
    },
    opKey: model.opKey ? productOpKey(model) : undefined,
    memoize: true,
    describeOp(op) {
      return model.describeOp(op);
    },
    describeState(s) {
      const parts = s.ids.map((id, j) => `${keys[j] ?? '(default)'}: ${model.describeState(perKey[j]!.states[id])}`);
      return `{${parts.join(', ')}}`;
    },
    prune: model.prune ? (ops) => keyedPrune(model, ops) : undefined,
  };
  return self;
}

/** The base model's opKey, told apart by key. */
function productOpKey(model: AnyModel): (op: ProductOp) => string {
  return (op) => `${op.k}:${model.opKey!(op.p)}`;
}

/** Up to this many keys whose ids are all below DIGIT - 1 are keyed by a number. */
const PACKED_KEYS = 8;
const DIGIT = 64;

/**
 * The ids as one number when they fit in 48 bits (a digit per key, id + 1 so that lengths
 * differ), else joined: a number is hashed and compared without building a string, which was a
 * tenth of a small history's check. A number never equals a string, so the two never collide.
 */
function keyOf(ids: number[]): StateKey {
  if (ids.length <= PACKED_KEYS) {
    let key = 0;
    let place = 1;
    for (let j = 0; j < ids.length; j++) {
      const d = ids[j]! + 1;
      if (d >= DIGIT) return ids.join(',');
      key += d * place;
      place *= DIGIT;
    }
    return key;
  }
  return ids.join(',');
}

/** Model pruning rules are stated per key, so apply them per key. */
function keyedPrune(model: AnyModel, ops: Operation[]): Operation[] {
  const groups = new Map<string | null, Operation[]>();
  for (const op of ops) {
    const k = model.partitionKey(op);
    const g = groups.get(k);
    if (g) g.push(op);
    else groups.set(k, [op]);
  }
  const keep = new Set<Operation>();
  for (const g of groups.values()) for (const op of model.prune!(g)) keep.add(op);
  return ops.filter((op) => keep.has(op));
}
