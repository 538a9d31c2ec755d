// P-compositionality run backwards: a keyed model seen as ONE state holding every key's
// state. Used when a history must be checked unpartitioned (benchmarks, cross-key models).
import type { Operation } from '../types.ts';
import type { AnyModel, Model, Reach, StateKey } from './model.ts';

interface ProductState {
  /** Each key's sub-state as its interned id (see subStates), by key index; missing keys are at `initial`. */
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
  after: Map<number, number>;
}

export function unpartitioned(model: AnyModel, initial: unknown): Model<ProductState, ProductOp> {
  const keyIndex = new Map<string | null, number>();
  const keys: (string | null)[] = [];
  const subIds = new Map<StateKey, number>();
  const subStates: unknown[] = [];
  const subId = (s: unknown): number => {
    const k = model.stateKey(s);
    let id = subIds.get(k);
    if (id === undefined) {
      subIds.set(k, (id = subStates.length));
      subStates.push(s);
    }
    return id;
  };
  const initialId = subId(initial);
  const sub = (s: ProductState, k: number): number => (k < s.ids.length ? s.ids[k]! : initialId);
  const empty: ProductState = { ids: [] };
  const self: Model<ProductState, ProductOp> = {
    name: model.name,
    summary: model.summary,
    fs: model.fs,
    // Keys appear as ops are prepared; a key never touched so far is at `initial`.
    initial: empty,
    initialFrom: () => empty,
    partitionKey: () => null,
    prepare(op: Operation) {
      const key = model.partitionKey(op);
      let k = keyIndex.get(key);
      if (k === undefined) {
        keyIndex.set(key, (k = keys.length));
        keys.push(key);
      }
      return { k, p: model.prepare(op), after: new Map() };
    },
    step(s, op) {
      const before = sub(s, op.k);
      let after = op.after.get(before);
      if (after === undefined) {
        const next = model.step(subStates[before], op.p);
        op.after.set(before, (after = next === undefined ? -1 : subId(next)));
      }
      if (after === -1) return undefined;
      if (after === before) return s;
      const ids = s.ids.slice();
      while (ids.length < op.k) ids.push(initialId);
      ids[op.k] = after;
      // Trailing keys at `initial` dropped: one state, one key, whichever keys were touched.
      while (ids.length > 0 && ids[ids.length - 1] === initialId) ids.pop();
      return { ids };
    },
    readOnly: (op) => model.readOnly(op.p),
    // Per key, as the base model knows it; a key's state is its entry of the map.
    reach(ops) {
      if (!model.reach) return undefined;
      const byKey = new Map<number, ProductOp[]>();
      // Where each key's ops sit in `ops`: the base model's positions are within its key.
      const at = new Map<number, number[]>();
      ops.forEach((op, i) => {
        const g = byKey.get(op.k);
        if (g) g.push(op);
        else byKey.set(op.k, [op]);
        at.get(op.k)?.push(i) ?? at.set(op.k, [i]);
      });
      const tests = new Map<number, Reach<unknown, unknown>>();
      const wrappedGroups = new Map<readonly number[], number[]>();
      let positionOf: Map<unknown, number> | undefined;
      for (const [k, g] of byKey) {
        const r = model.reach(g.map((op) => op.p));
        if (r) tests.set(k, r);
      }
      if (tests.size === 0) return undefined;
      return {
        test(s, op) {
          const r = tests.get(op.k);
          return r === undefined || r.test(subStates[sub(s, op.k)], op.p);
        },
        // Positions in `ops`, whichever way the base model lists them.
        rescuerGroups(op) {
          const r = tests.get(op.k);
          if (r?.rescuerGroups) {
            const places = at.get(op.k)!;
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
          const t = tests.get(op.k);
          return r.k === op.k && t?.rescues !== undefined && t.rescues(r.p, op.p);
        },
        dooms(writer, observer) {
          const r = tests.get(observer.k);
          return writer.k === observer.k && r?.dooms !== undefined && r.dooms(writer.p, observer.p);
        },
      };
    },
    stateKey: (s) => (s.key ??= keyOf(s.ids)),
    ...(model.opKey ? { opKey: (op: ProductOp) => `${op.k}:${model.opKey!(op.p)}` } : {}),
    memoize: true,
    describeOp: (op) => model.describeOp(op),
    describeState(s) {
      const parts = s.ids.map((id, j) => `${keys[j] ?? '(default)'}: ${model.describeState(subStates[id])}`);
      return `{${parts.join(', ')}}`;
    },
    prune: model.prune ? (ops) => keyedPrune(model, ops) : undefined,
  };
  return self;
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
