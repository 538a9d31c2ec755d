// One partition, compiled for the search: ops renumbered (ok ops first, then ops of unknown
// outcome), states interned to small integers so the search only ever handles numbers.
import type { AnyModel, Reach, StateKey } from '../models/model.ts';
import type { Operation } from '../types.ts';
import { HashedIndex } from './hashed-index.ts';
import { Slab } from './slab.ts';
import { TransitionMemo } from './transition-memo.ts';

/** One JavaScript Map holds at most 2^24 entries: interned states spill into further Maps. */
const MAP_CHUNK = 1 << 23;
/**
 * Bytes one interned state costs, about (the state, its key, two Map slots): how a memory cap
 * becomes a cap on distinct states, so that `--memory` raises or lowers both caches together.
 */
export const STATE_BYTES = 160;

/** The distinct-state cap for a memory cap in bytes (none without one). */
export function statesCapFor(maxBytes: number | undefined): number {
  return maxBytes === undefined ? Infinity : Math.max(1 << 16, Math.floor(maxBytes / STATE_BYTES));
}

export class TooManyStates extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} distinct model states`);
  }
}

/**
 * A Map that may grow past 2^24 entries: full chunks of `chunk` entries are kept aside and only
 * searched on a miss, so the common case costs one Map lookup.
 */
export class ChunkedMap<K, V> {
  private current = new Map<K, V>();
  private readonly full: Map<K, V>[] = [];
  constructor(private readonly chunk = MAP_CHUNK) {}
  get(k: K): V | undefined {
    const v = this.current.get(k);
    if (v !== undefined || this.full.length === 0) return v;
    for (let i = this.full.length - 1; i >= 0; i--) {
      const w = this.full[i]!.get(k);
      if (w !== undefined) return w;
    }
    return undefined;
  }
  set(k: K, v: V): void {
    if (this.current.size >= this.chunk) {
      this.full.push(this.current);
      this.current = new Map();
    }
    this.current.set(k, v);
  }
}

export interface Problem {
  /** Where the search takes its fixed-size arrays from. */
  slab: Slab;
  /** All ops; index = the search's op number. ok ops are 0..okCount-1, info ops after. */
  ops: Operation[];
  okCount: number;
  call: Float64Array;
  ret: Float64Array;
  readOnly: Uint8Array;
  /** For info ops: their class (ops with the same effect, see Model.opKey) and rank in it by call. */
  infoClass: Int32Array;
  infoRank: Int32Array;
  classCount: number;
  /**
   * For observers (Model.observes): the one state where op i is legal; -2 while that state has
   * not been met yet (see `meets`); -1 for every other op.
   */
  need: Int32Array;
  /**
   * For an observer whose `need` is -2: if state s is the one it observes, records that in
   * `need` and returns s; otherwise returns -3 (not legal in s).
   */
  meets(i: number, s: number): number;
  initial: number;
  /** The state after op `i` from state `s`, or -1 when the op cannot happen there. */
  step(s: number, i: number): number;
  /** From state s, can op i still become legal? (false = never, unless a rescuer is unplaced; see Model.reach). */
  reach?: (s: number, i: number) => boolean;
  /** The ops whose placement could still make op i legal whatever the state (Model.reach). */
  rescuers?: (i: number) => Int32Array;
  describeState(s: number): string;
  /** How many distinct states were seen (memory accounting). */
  stateCount(): number;
  /** `model.prepare(ops[i])`, by the search's op numbers. */
  prepared: readonly unknown[];
  /** What the model's own `reach` said about these ops (search/stale-proof.ts asks it more). */
  modelReach?: Reach<unknown, unknown>;
}

/** `maxStates`: give up (TooManyStates, reported as `memory`) past this many distinct states. */
export function compileProblem(model: AnyModel, ops: Operation[], initial: unknown, maxStates = Infinity): Problem {
  return compilePrepared(model, ops, ops.map((o) => model.prepare(o)), initial, maxStates);
}

/** As compileProblem, for ops already prepared (`prepared[i]` is `model.prepare(ops[i])`). */
export function compilePrepared(
  model: AnyModel,
  ops: Operation[],
  preparedOps: unknown[],
  initial: unknown,
  maxStates = Infinity,
  slab = Slab.forOps(ops.length),
): Problem {
  // ok ops first, then info ops, each in their order (one pass to count, one to place).
  const n = ops.length;
  let okCount = 0;
  for (let i = 0; i < n; i++) if (ops[i].status !== 'info') okCount++;
  const ordered: Operation[] = new Array(n);
  const prepared: unknown[] = new Array(n);
  for (let i = 0, ok = 0, info = okCount; i < n; i++) {
    const at = ops[i].status === 'info' ? info++ : ok++;
    ordered[at] = ops[i];
    prepared[at] = preparedOps[i];
  }
  const call = slab.float64(n);
  const ret = slab.float64(n);
  const readOnly = slab.uint8(n);
  for (let i = 0; i < n; i++) {
    const o = ordered[i];
    call[i] = o.call;
    ret[i] = o.status === 'info' ? Infinity : o.return;
    readOnly[i] = model.readOnly(prepared[i]) ? 1 : 0;
  }
  // Classes of interchangeable info ops, each sorted by call (rank = position in its class).
  const infoClass = slab.int32(n, -1);
  const infoRank = slab.int32(n, -1);
  const classes = new Map<string, number[]>();
  for (let i = okCount; i < n; i++) {
    const key = model.opKey ? model.opKey(prepared[i]) : `#${i}`;
    const g = classes.get(key);
    if (g) g.push(i);
    else classes.set(key, [i]);
  }
  let c = 0;
  for (const g of classes.values()) {
    g.sort((a, b) => call[a] - call[b] || a - b);
    g.forEach((i, r) => {
      infoClass[i] = c;
      infoRank[i] = r;
    });
    c++;
  }
  const states: unknown[] = [];
  // With a model hash, a new state is looked up by the hash its step carried over; else in a Map.
  const hash = model.hash;
  const hashed = hash ? new HashedIndex(2 * n + 16, slab) : undefined;
  const ids = hashed ? undefined : new ChunkedMap<StateKey, number>();
  // Transitions are revisited on every backtrack; remembering them skips rebuilding states.
  // Bounded: forgetting only costs time.
  const memo = new TransitionMemo(undefined, n, slab);
  const reach = model.reach?.(prepared);
  // Asked only when an op looks unreachable, so computed on demand: all of them up front is
  // quadratic (every get against every put) on a long key that never needs them.
  let index: Map<unknown, number> | undefined;
  const listsRescuers = reach?.rescuers !== undefined || reach?.rescuerGroups !== undefined;
  const known: (Int32Array | undefined)[] = listsRescuers ? new Array(n) : [];
  // Ops that see the same value usually get the same list from the model: convert it once.
  const converted = new Map<readonly unknown[], Int32Array>();
  // By op, for observers: the key of the state each observes (see `need`).
  const observed: StateKey[] = model.observes ? new Array(n) : [];
  // Methods, not `const f = () => …`: see the note in wgl.ts run() (tsx's keepNames).
  const f = {
    intern(s: unknown): number {
      if (hashed) return f.internHashed(s, hash!.of(s));
      const k = model.stateKey(s);
      let id = ids!.get(k);
      if (id === undefined) {
        if (states.length >= maxStates) throw new TooManyStates(maxStates);
        id = states.length;
        states.push(s);
        ids!.set(k, id);
      }
      return id;
    },
    internHashed(s: unknown, h: number): number {
      const id = hashed!.intern(model.stateKey(s), h, states.length);
      if (id === states.length) {
        if (id >= maxStates) throw new TooManyStates(maxStates);
        states.push(s);
      }
      return id;
    },
    step(s: number, i: number): number {
      const next = model.step(states[s], prepared[i]);
      return next === undefined ? -1 : f.intern(next);
    },
    stepHashed(s: number, i: number): number {
      const from = states[s];
      const next = model.step(from, prepared[i]);
      if (next === undefined) return -1;
      return next === from ? s : f.internHashed(next, hash!.after(hashed!.hashOf(s), from, prepared[i]));
    },
    memoStep(s: number, i: number): number {
      let r = memo.get(s, i);
      if (r === -2) memo.set(s, i, (r = stepOnce(s, i)));
      return r;
    },
    reach(s: number, i: number): boolean {
      return reach!.test(states[s], prepared[i]);
    },
    indexOf(q: unknown): number {
      if (index === undefined) {
        index = new Map<unknown, number>();
        for (let k = 0; k < n; k++) index.set(prepared[k], k);
      }
      return index.get(q) ?? -1;
    },
    rescuers(i: number): Int32Array {
      let r = known[i];
      if (r !== undefined) return r;
      if (reach!.rescuerGroups) {
        // Already positions: no lookup of each op.
        const groups = reach!.rescuerGroups(prepared[i]);
        let size = 0;
        for (const g of groups) size += g.length;
        r = new Int32Array(size);
        let at = 0;
        for (const g of groups) for (let k = 0; k < g.length; k++) r[at++] = g[k]!;
        return (known[i] = r);
      }
      const list = reach!.rescuers!(prepared[i]);
      r = converted.get(list);
      if (r === undefined) {
        r = new Int32Array(list.length);
        for (let k = 0; k < list.length; k++) r[k] = f.indexOf(list[k]);
        converted.set(list, r);
      }
      return (known[i] = r);
    },
    meets(i: number, s: number): number {
      if (model.stateKey(states[s]) !== observed[i]) return -3;
      need[i] = s;
      return s;
    },
    describeState(s: number): string {
      return model.describeState(states[s]);
    },
    stateCount(): number {
      return states.length;
    },
  };
  // Chosen once per check: the step that looks its state up by the carried hash, or by key.
  const stepOnce = hashed ? f.stepHashed : f.step;
  // The initial state is interned first: state 0.
  const initialId = f.intern(initial);
  // An observed state is found by comparing keys as the search meets states, not interned up
  // front: interning would hash every observed value in full (a tenth of c10-ok's check, for
  // kv), where a comparison with a state of another length ends at once.
  const need = slab.int32(n, -1);
  if (model.observes) {
    for (let i = 0; i < n; i++) {
      if (readOnly[i] === 0) continue;
      const v = model.observes(prepared[i]);
      if (v === undefined) continue;
      need[i] = -2;
      observed[i] = model.stateKey(v);
    }
  }
  // Plain properties, not spread-in optional ones: a spread costs an object per check.
  return {
    ops: ordered,
    slab,
    reach: reach ? f.reach : undefined,
    rescuers: listsRescuers ? f.rescuers : undefined,
    okCount,
    call,
    ret,
    readOnly,
    infoClass,
    infoRank,
    classCount: classes.size,
    need,
    meets: f.meets,
    initial: initialId,
    step: model.memoize ? f.memoStep : stepOnce,
    describeState: f.describeState,
    stateCount: f.stateCount,
    prepared,
    modelReach: reach,
  };
}
