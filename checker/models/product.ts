// P-compositionality run backwards: a keyed model seen as ONE state holding every key's
// state. Used when a history must be checked unpartitioned (benchmarks, cross-key models).
import type { Operation } from '../types.ts';
import type { AnyModel, Model, Reach, StateKey } from './model.ts';

interface ProductState {
  subs: unknown[];
  /**
   * Small interned ids of the sub-states, joined: a short identity for the whole map. Made when
   * first asked: a state the search never interns (the call-order pass) never needs it.
   */
  key?: string;
  ids: number[];
}

interface ProductOp {
  k: number;
  p: unknown;
}

export function unpartitioned(model: AnyModel, initial: unknown): Model<ProductState, ProductOp> {
  const keyIndex = new Map<string | null, number>();
  const keys: (string | null)[] = [];
  const subIds = new Map<StateKey, number>();
  const subId = (s: unknown): number => {
    const k = model.stateKey(s);
    let id = subIds.get(k);
    if (id === undefined) subIds.set(k, (id = subIds.size));
    return id;
  };
  const empty: ProductState = { subs: [], key: '', ids: [] };
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
      return { k, p: model.prepare(op) };
    },
    step(s, op) {
      const before = op.k < s.subs.length ? s.subs[op.k] : initial;
      const after = model.step(before, op.p);
      if (after === undefined) return undefined;
      if (after === before && op.k < s.subs.length) return s;
      const id = subId(after);
      if (op.k < s.ids.length && s.ids[op.k] === id) return s;
      const subs = s.subs.slice();
      const ids = s.ids.slice();
      for (let j = subs.length; j < op.k; j++) {
        subs.push(initial);
        ids.push(subId(initial));
      }
      subs[op.k] = after;
      ids[op.k] = id;
      return { subs, ids };
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
          return r === undefined || r.test(op.k < s.subs.length ? s.subs[op.k] : initial, op.p);
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
    stateKey: (s) => (s.key ??= s.ids.join(',')),
    ...(model.opKey ? { opKey: (op: ProductOp) => `${op.k}:${model.opKey!(op.p)}` } : {}),
    memoize: true,
    describeOp: (op) => model.describeOp(op),
    describeState(s) {
      const parts = s.subs.map((v, j) => `${keys[j] ?? '(default)'}: ${model.describeState(v)}`);
      return `{${parts.join(', ')}}`;
    },
    prune: model.prune ? (ops) => keyedPrune(model, ops) : undefined,
  };
  return self;
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
