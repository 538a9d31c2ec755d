// Turns a failed search into evidence a person can act on: which op cannot be placed, what the
// state was after the longest order that works, and who put it there.
import type { AnyModel } from '../models/model.ts';
import type { Problem } from '../search/problem.ts';
import type { SearchOutcome } from '../search/wgl.ts';
import type { Anomaly, Operation } from '../types.ts';
import { formatTime } from './time.ts';

type Failure = Extract<SearchOutcome, { valid: false }>;

export function buildAnomaly(model: AnyModel, p: Problem, f: Failure, key: string | null): Anomaly {
  const op = p.ops[culprit(p, f)];
  const prefix = f.prefix.map((i) => p.ops[i].id);
  const concurrent = f.candidates.filter((i) => p.ops[i] !== op).map((i) => p.ops[i].id);
  const state = p.describeState(f.state);
  let setter: Operation | undefined;
  for (let k = f.prefix.length - 1; k >= 0 && !setter; k--) {
    if (p.readOnly[f.prefix[k]] === 0) setter = p.ops[f.prefix[k]];
  }
  const anomaly: Anomaly = {
    key,
    op,
    prefix,
    state,
    concurrent,
    explanation: explain(model, op, state, setter, prefix.length, concurrent.length, key),
  };
  if (f.partials) {
    const partials: Record<number, number[]> = {};
    for (const [i, order] of f.partials) partials[p.ops[i].id] = order.map((j) => p.ops[j].id);
    anomaly.partialLinearizations = partials;
  }
  return anomaly;
}

/**
 * The op to blame: every pending op must be placed before the first pending return, so the
 * op owning that return is where the order breaks, unless it is fine in the current state
 * and some other candidate is not (a read that nothing can explain).
 */
function culprit(p: Problem, f: Failure): number {
  if (p.step(f.state, f.blocking) === -1) return f.blocking;
  for (const i of f.candidates) if (i < p.okCount && p.step(f.state, i) === -1) return i;
  return f.blocking;
}

function explain(
  model: AnyModel,
  op: Operation,
  state: string,
  setter: Operation | undefined,
  placed: number,
  others: number,
  key: string | null,
): string {
  const what = key === null ? 'the state' : `${key}`;
  const when = `invoked at ${formatTime(op.call)}, completed at ${formatTime(op.return)}`;
  const by = !setter
    ? ' (its initial value)'
    : setter.status === 'info'
      ? `, as left by ${model.describeOp(setter)} (invoked at ${formatTime(setter.call)}, never completed)`
      : `, as left by ${model.describeOp(setter)} (completed at ${formatTime(setter.return)})`;
  const tail =
    others === 0
      ? 'No other op could have taken effect in between.'
      : `None of the ${others} op${others === 1 ? '' : 's'} that could still have taken effect before it leads to an order that works.`;
  return (
    `${model.describeOp(op)} (${when}) cannot be linearized. ` +
    `The longest order that works places ${placed} op${placed === 1 ? '' : 's'}; after it ${what} is ${state}${by}. ` +
    tail
  );
}
