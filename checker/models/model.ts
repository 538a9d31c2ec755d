// What a sequential specification looks like to the checker. A model is pure data + pure
// functions so worker threads can look it up by name and the search can treat states as opaque.
import type { Operation } from '../types.ts';

/** An op the model cannot make sense of (unknown `f`, a cas value that is not a pair, …). */
export class ModelInputError extends Error {
  constructor(
    message: string,
    readonly op: Operation,
  ) {
    super(message);
    this.name = 'ModelInputError';
  }
}

/** A state identity the search can intern in a Map: equal states give equal keys. */
export type StateKey = string | number | boolean | null;

export interface Model<S = unknown, P = unknown> {
  readonly name: string;
  /** One line for `--help` and the README. */
  readonly summary: string;
  /** The `f`s this model understands; used to infer the model from a history. */
  readonly fs: readonly string[];
  /** Every partition starts here unless the user says otherwise (`--initial`). */
  readonly initial: S;
  /** Turns a user-given initial value (`--initial`, already JSON-parsed) into a state; throws an Error if unfit. */
  initialFrom(value: unknown): S;
  /**
   * P-compositionality: ops with different keys never interact, so each key is checked alone.
   * `null` puts the op in the single default partition.
   */
  partitionKey(op: Operation): string | null;
  /** Validates an op and precomputes what `step` needs; throws ModelInputError on bad input. */
  prepare(op: Operation): P;
  /**
   * The state after applying the op, or `undefined` when the op cannot happen in `state`.
   * Ops of unknown outcome (`status: 'info'`) must be accepted in every state (taking effect);
   * "never took effect" is the search's business, not the model's.
   */
  step(state: S, op: P): S | undefined;
  /** True when the op never changes the state wherever it is legal (a read). Enables pruning. */
  readOnly(op: P): boolean;
  stateKey(state: S): StateKey;
  /**
   * Optional: a hash of states that follows each step in O(1), so the search can look a new
   * state up without hashing its whole key (see search/hashed-index.ts). Without it states
   * are interned in a Map by `stateKey`.
   */
  readonly hash?: StateHash<S, P>;
  /**
   * Optional: a key such that two prepared ops with equal keys step every state alike. Lets
   * the search treat crashed ops with the same effect as interchangeable (it then only ever
   * places the earliest pending one of them). Without it every op is its own class.
   */
  opKey?(op: P): string;
  /**
   * Optional, for read-only ops: the one state in which the op is legal (a read of v: v), or
   * undefined when it cannot say. Lets the search test such ops by comparing integers.
   */
  observes?(op: P): S | undefined;
  /**
   * Hint: building states is costly (new strings, copied maps), so the search should remember
   * transitions (state, op) → state instead of recomputing them when it backtracks.
   */
  readonly memoize?: boolean;
  /**
   * Optional knowledge of where states can go, given every op of one partition. `test(s, op)`:
   * "from state s, can these ops still reach a state where `op` is legal?", where the ops listed
   * as its rescuers (Reach.rescuers or rescuerGroups; say, puts that reset the state) are set aside: while one of them is still
   * unplaced the search assumes `op` may yet happen. A wrong `false` would make the checker
   * reject a valid history, so answer true whenever unsure; a `false` lets the search drop a
   * configuration with a pending op that can never happen.
   * Example: with only appends, a get of v needs the state to be a prefix of v.
   */
  reach?(ops: readonly P[]): Reach<S, P> | undefined;
  describeOp(op: Operation): string;
  describeState(state: S): string;
  /**
   * Optional preprocessing: drop ops that provably cannot change the verdict (each model
   * argues its own rules). Must return a subset of `ops`, order kept.
   */
  prune?(ops: Operation[]): Operation[];
}

/**
 * A 32-bit state hash. Equal keys (`stateKey`) must hash equal; unequal ones may collide (the
 * search then compares keys), at a cost in time only.
 */
export interface StateHash<S, P> {
  of(state: S): number;
  /** `of(step(state, op))`, given `h = of(state)`; asked only where the step is legal. */
  after(h: number, state: S, op: P): number;
}

export interface Reach<S, P> {
  test(state: S, op: P): boolean;
  /** The ops that could still make `op` legal whatever the state (see Model.reach); or: */
  rescuers?(op: P): readonly P[];
  /**
   * The same, as positions in the `ops` given to `reach`, in groups, each a stable array shared
   * by every op that lists it (say, the puts of one value), so that what is worked out per group
   * is worked out once. Used instead of `rescuers` when given; needed with `dooms`.
   */
  rescuerGroups?(op: P): readonly (readonly number[])[];
  /** Optional: whether `r` is among `rescuers(op)`, without listing them. */
  rescues?(r: P, op: P): boolean;
  /**
   * Optional: true when, once `writer` has taken effect, `test(s, observer)` is false in every
   * state s the ops can lead to, except through one of `rescuers(observer)` taking effect later.
   * Example: after an append of w, a get of a value that does not contain w can never be legal
   * until a put resets the key. Lets the checker prove a stale read without a search
   * (search/stale-proof.ts); a wrong `true` would reject a valid history.
   */
  dooms?(writer: P, observer: P): boolean;
}

/** Any model, with its type parameters erased (the registry and the search use this). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any>;

/** `--initial` text: JSON when it parses, else the bare string (so `--initial foo` works). */
export function parseInitialText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
