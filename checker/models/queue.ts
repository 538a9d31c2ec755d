// Knossos' queues: `enqueue` adds a value, `dequeue` removes one and returns it. The FIFO queue
// must hand out the oldest value (a dequeue of nil: the queue was empty); the unordered queue
// any value it holds (as Knossos has it, a dequeue of nil is never legal there). Start empty.
import { spellOperation } from '../evidence/spell.ts';
import { stringifyExact } from '../formats/exact-json.ts';
import { ModelInputError, type Model, type StateKey } from './model.ts';
import { describeValue, valueKey } from './values.ts';

type Items = readonly StateKey[];

export interface QueueOp {
  enqueue: boolean;
  value: StateKey;
  unknown: boolean;
}

function makeQueue(name: 'fifo-queue' | 'unordered-queue'): Model<Items, QueueOp> {
  const fifo = name === 'fifo-queue';
  const keyOf = (s: Items) => stringifyExact(s);
  return {
    name,
    summary: fifo
      ? 'FIFO queue per key: enqueue V, dequeue → oldest (nil: empty)'
      : 'unordered queue per key: enqueue V, dequeue → any value held',
    fs: ['enqueue', 'dequeue'],
    initial: [],
    initialFrom(v) {
      if (!Array.isArray(v)) throw new Error(`a queue's initial value must be a list, got ${stringifyExact(v)}`);
      const items = v.map(valueKey);
      return fifo ? items : items.sort();
    },
    partitionKey: (op) => op.key ?? null,
    prepare(op) {
      const unknown = op.status === 'info';
      if (op.f === 'enqueue') return { enqueue: true, value: valueKey(op.input), unknown };
      if (op.f === 'dequeue') return { enqueue: false, value: unknown ? null : valueKey(op.output), unknown };
      throw new ModelInputError(`the ${name} model has no "${op.f}" (it knows enqueue, dequeue)`, op);
    },
    step(s, p) {
      if (p.enqueue) return fifo ? [...s, p.value] : [...s, p.value].sort();
      // A dequeue of unknown outcome: from a FIFO queue it takes the oldest value, if any. From an
      // unordered one it could have taken any; leaving every value in place is as good, since
      // nothing later is hurt by a value still being there (no dequeue there sees "empty").
      if (p.unknown) return fifo && s.length > 0 ? s.slice(1) : s;
      if (fifo) {
        if (s.length === 0) return p.value === null ? s : undefined;
        return s[0] === p.value ? s.slice(1) : undefined;
      }
      const i = s.indexOf(p.value);
      return i < 0 || p.value === null ? undefined : [...s.slice(0, i), ...s.slice(i + 1)];
    },
    readOnly: (p) => !fifo && !p.enqueue && p.unknown,
    stateKey: keyOf,
    opKey: (p) => stringifyExact(p),
    memoize: true,
    describeOp: spellOperation,
    describeState: (s) => `[${s.map(describeValue).join(' ')}]`,
  };
}

export const fifoQueue = makeQueue('fifo-queue');
export const unorderedQueue = makeQueue('unordered-queue');
