// Turns a failed search into evidence a person can act on: what kind of anomaly it is (a stale
// read, a value nobody wrote, …) in one plain sentence, which op cannot be placed, what the state
// was after the longest order that works, and who put it there.
import type { AnyModel } from '../models/model.ts';
import type { Problem } from '../search/problem.ts';
import type { SearchOutcome } from '../search/wgl.ts';
import type { Anomaly, AnomalyKind, Operation } from '../types.ts';
import { formatTime } from './time.ts';

type Failure = Extract<SearchOutcome, { valid: false }>;

export function buildAnomaly(model: AnyModel, p: Problem, f: Failure, key: string | null): Anomaly {
  const c = culprit(p, f);
  const op = p.ops[c];
  const prefix = f.prefix.map((i) => p.ops[i].id);
  const concurrent = f.candidates.filter((i) => p.ops[i] !== op).map((i) => p.ops[i].id);
  const state = p.describeState(f.state);
  let setter: Operation | undefined;
  for (let k = f.prefix.length - 1; k >= 0 && !setter; k--) {
    if (p.readOnly[f.prefix[k]] === 0) setter = p.ops[f.prefix[k]];
  }
  const { kind, after } = classify(p, f, c);
  // Spelled once for the headline and the explanation both.
  const what = model.describeOp(op);
  const anomaly: Anomaly = {
    kind,
    headline: headline(model, kind, op, what, after, key, state),
    ...(after ? { after: after.id } : {}),
    key,
    op,
    prefix,
    state,
    concurrent,
    explanation: explain(model, op, what, state, setter, prefix.length, concurrent.length, key),
  };
  if (f.partials) {
    const partials: Record<number, number[]> = {};
    for (const [i, order] of f.partials) partials[p.ops[i].id] = order.map((j) => p.ops[j].id);
    anomaly.partialLinearizations = partials;
  }
  return anomaly;
}

/**
 * Evidence for a stale read proven directly (search/stale-proof.ts): `op` began after `after`
 * had returned, and from then on only ops that could not fit in between could make it legal.
 * `order` (op ids), when found, is an order of the ops completed before `op` began that works,
 * and `state` the state it leaves.
 */
export function staleProofAnomaly(model: AnyModel, op: Operation, after: Operation, order: { prefix: number[]; state: string } | undefined, key: string | null): Anomaly {
  const what = key === null ? 'the state' : key;
  const n = order?.prefix.length ?? 0;
  return {
    kind: 'stale-read',
    headline: headline(model, 'stale-read', op, model.describeOp(op), after, key, order?.state ?? ''),
    after: after.id,
    key,
    op,
    proof: 'stale',
    prefix: order?.prefix ?? [],
    state: order?.state ?? '',
    concurrent: [],
    explanation:
      `${model.describeOp(op)} (${num(op)}, invoked at ${formatTime(op.call)}, completed at ${formatTime(op.return)}) cannot be linearized. ` +
      `It began after ${model.describeOp(after)} (${num(after)}) had returned at ${formatTime(after.return)}, and once that took effect ` +
      `only an op that could undo it would make this result possible again; none of those could take effect between the two.` +
      (order ? ` An order of the ${n} op${n === 1 ? '' : 's'} completed before it works; after it ${what} is ${order.state}.` : ''),
  };
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

/**
 * Replays the longest order that works and asks where the culprit would have been legal. Legal
 * somewhere before the end, and an op that changed the state after that point had already
 * returned when the culprit was invoked: stale. Legal nowhere: a value no order gives. Legal at
 * the end: the op is fine alone, and it is the order around it that cannot be.
 */
function classify(p: Problem, f: Failure, c: number): { kind: AnomalyKind; after?: Operation } {
  const observer = p.readOnly[c] === 1;
  const states = [p.initial];
  for (const i of f.prefix) states.push(p.step(states[states.length - 1]!, i));
  let legalAt = -1;
  for (let k = states.length - 1; k >= 0; k--) {
    if (states[k]! >= 0 && p.step(states[k]!, c) !== -1) {
      legalAt = k;
      break;
    }
  }
  if (legalAt === states.length - 1) return { kind: 'no-order' };
  if (legalAt === -1) return { kind: observer ? 'impossible-read' : 'impossible-result' };
  // The latest-returning op placed after the last legal point that returned before c began: a
  // write that overwrote what c saw, or a read that had already seen a later state.
  let after: Operation | undefined;
  for (let k = legalAt; k < f.prefix.length; k++) {
    const i = f.prefix[k]!;
    if (!(p.ret[i]! < p.call[c]!)) continue;
    if (!after || p.ret[i]! > after.return) after = p.ops[i];
  }
  if (!after) return { kind: 'no-order' };
  return { kind: observer ? 'stale-read' : 'stale-result', after };
}

const KIND_WORDS: Record<AnomalyKind, string> = {
  'stale-read': 'stale read',
  'impossible-read': 'impossible read',
  'stale-result': 'stale result',
  'impossible-result': 'impossible result',
  'no-order': 'no consistent order',
};

export function kindWords(kind: AnomalyKind): string {
  return KIND_WORDS[kind];
}

const num = (op: Operation) => `op #${op.number}`;

function headline(model: AnyModel, kind: AnomalyKind, op: Operation, what: string, after: Operation | undefined, key: string | null, state: string): string {
  const began = `began at ${formatTime(op.call)}`;
  const where = key === null ? 'the state' : key;
  switch (kind) {
    case 'stale-read':
    case 'stale-result':
      return `${KIND_WORDS[kind]}: ${what} (${num(op)}) ${began}, after ${model.describeOp(after!)} (${num(after!)}) had already returned at ${formatTime(after!.return)}`;
    case 'impossible-read':
      return `${KIND_WORDS[kind]}: ${what} (${num(op)}, ${began}) saw a value ${where} never held in any order of the ops before it`;
    case 'impossible-result':
      return `${KIND_WORDS[kind]}: ${what} (${num(op)}, ${began}) reports a result no order of the ops before it gives`;
    case 'no-order':
      return `${KIND_WORDS[kind]}: ${what} (${num(op)}, ${began}) fits after the ${where === 'the state' ? 'state' : `value ${state} of ${where}`} the other ops leave, but no order places it together with the ops around it`;
  }
}

function explain(
  model: AnyModel,
  op: Operation,
  what: string,
  state: string,
  setter: Operation | undefined,
  placed: number,
  others: number,
  key: string | null,
): string {
  const where = key === null ? 'the state' : `${key}`;
  const when = `invoked at ${formatTime(op.call)}, completed at ${formatTime(op.return)}`;
  const by = !setter
    ? ' (its initial value)'
    : setter.status === 'info'
      ? `, as left by ${model.describeOp(setter)} (op #${setter.number}, invoked at ${formatTime(setter.call)}, never completed)`
      : `, as left by ${model.describeOp(setter)} (op #${setter.number}, completed at ${formatTime(setter.return)})`;
  const tail =
    others === 0
      ? 'No other op could have taken effect in between.'
      : `None of the ${others} op${others === 1 ? '' : 's'} that could still have taken effect before it leads to an order that works.`;
  return (
    `${what} (op #${op.number}, ${when}) cannot be linearized. ` +
    `The longest order that works places ${placed} op${placed === 1 ? '' : 's'}; after it ${where} is ${state}${by}. ` +
    tail
  );
}
