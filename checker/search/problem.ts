// One partition, compiled for the search: ops renumbered (ok ops first, then ops of unknown
// outcome), states interned to small integers so the search only ever handles numbers.
import type { AnyModel, StateKey } from '../models/model.ts';
import type { Operation } from '../types.ts';

export interface Problem {
  /** All ops; index = the search's op number. ok ops are 0..okCount-1, info ops after. */
  ops: Operation[];
  okCount: number;
  call: Float64Array;
  ret: Float64Array;
  readOnly: Uint8Array;
  initial: number;
  /** The state after op `i` from state `s`, or -1 when the op cannot happen there. */
  step(s: number, i: number): number;
  describeState(s: number): string;
  /** How many distinct states were seen (memory accounting). */
  stateCount(): number;
}

export function compileProblem(model: AnyModel, ops: Operation[], initial: unknown): Problem {
  const ordered = [...ops.filter((o) => o.status !== 'info'), ...ops.filter((o) => o.status === 'info')];
  const n = ordered.length;
  const prepared = ordered.map((o) => model.prepare(o));
  const call = new Float64Array(n);
  const ret = new Float64Array(n);
  const readOnly = new Uint8Array(n);
  let okCount = 0;
  for (let i = 0; i < n; i++) {
    const o = ordered[i];
    call[i] = o.call;
    ret[i] = o.status === 'info' ? Infinity : o.return;
    readOnly[i] = model.readOnly(prepared[i]) ? 1 : 0;
    if (o.status !== 'info') okCount++;
  }
  const states: unknown[] = [];
  const ids = new Map<StateKey, number>();
  const intern = (s: unknown): number => {
    const k = model.stateKey(s);
    let id = ids.get(k);
    if (id === undefined) {
      id = states.length;
      states.push(s);
      ids.set(k, id);
    }
    return id;
  };
  const step = (s: number, i: number): number => {
    const next = model.step(states[s], prepared[i]);
    return next === undefined ? -1 : intern(next);
  };
  // Transitions are revisited on every backtrack; remembering them skips rebuilding states.
  // Bounded: forgetting only costs time.
  const memo = new Map<number, number>();
  const memoStep = (s: number, i: number): number => {
    if (readOnly[i] !== 0) return step(s, i);
    const k = s * n + i;
    let r = memo.get(k);
    if (r === undefined) {
      if (memo.size >= 1 << 22) memo.clear();
      memo.set(k, (r = step(s, i)));
    }
    return r;
  };
  return {
    ops: ordered,
    okCount,
    call,
    ret,
    readOnly,
    initial: intern(initial),
    step: model.memoize ? memoStep : step,
    describeState: (s) => model.describeState(states[s]),
    stateCount: () => states.length,
  };
}
