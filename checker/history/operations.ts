// Pairs a history's invokes with their completions and validates it (docs/history-format.md):
// the completion of an invoke is the next event of the same process; `fail` means the op surely did
// not happen and is dropped; `info` and invokes left open at the end have an unknown outcome
// (status 'info', return = Infinity: they may take effect any time after the call, or never).
//
// Two refinements, both sound:
// - A read (`read`, kv `get`) of unknown outcome is dropped: it changes nothing and its result is
//   unknown, so it constrains nothing (linearizing it anywhere is always legal). This is also how a
//   Jepsen log's `:fail :read :timed-out` ends up: unknown, hence irrelevant.
// - A `cas` that failed with `error: "compare-failed"` is kept, marked `compareFailed`: it did not
//   swap but did observe a value other than the expected one (Jepsen/etcd's `:fail :cas`, which
//   Porcupine checks this way).
import { stringifyExact } from '../formats/exact-json.ts';
import type { HistoryEvent, Operation } from '../types.ts';
import { HistoryError } from './history-error.ts';
import { linesOf } from './source-lines.ts';
import { inferModelName, opsOf } from './model-families.ts';

export interface ToOperationsOptions {
  file?: string;
  /** Model name; its registry `fs` decide which `f`s are allowed. Inferred from the ops when absent. */
  model?: string;
}

const READS: ReadonlySet<string> = new Set(['read', 'get']);

interface Open {
  event: HistoryEvent;
  line: number;
  /** Where its op sits in `slots`. */
  slot: number;
}

export function toOperations(events: readonly HistoryEvent[], opts: ToOperationsOptions = {}): Operation[] {
  const { file } = opts;
  const model = opts.model ?? inferModelName(events);
  const allowed = opsOf(model);
  const open = new Map<number, Open>();
  // Ops in invoke order; ids are assigned at the end, once dropped ops are gone.
  const slots: (Operation | undefined)[] = [];
  let lastTime = -Infinity;
  const lines = linesOf(events);

  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const line = lines?.[index] ?? index + 1;
    if (!(event.time >= lastTime)) {
      throw new HistoryError(`time goes backwards: ${event.time} after ${lastTime} (times must be non-decreasing down the file)`, { file, line });
    }
    lastTime = event.time;
    if (event.process === 'nemesis') continue;
    if (allowed && !allowed.has(event.f)) {
      throw new HistoryError(`unknown f ${JSON.stringify(event.f)} for the ${model} model (it takes ${[...allowed].join(', ')})`, { file, line });
    }
    const process = event.process;
    const pending = open.get(process);

    if (event.type === 'invoke') {
      if (pending) {
        throw new HistoryError(`process ${process} invokes again while its ${pending.event.f} from line ${pending.line} has no completion`, { file, line });
      }
      const problem = valueProblem(event, model);
      if (problem) throw new HistoryError(problem, { file, line });
      open.set(process, { event, line, slot: slots.length });
      slots.push(unknownOutcome(event, index, line, file, slots.length + 1));
      continue;
    }

    if (!pending) throw new HistoryError(`${event.type} completion of ${event.f} by process ${process} with no invoke before it`, { file, line });
    if (pending.event.f !== event.f) {
      throw new HistoryError(`completion f ${JSON.stringify(event.f)} does not match the invoke's ${JSON.stringify(pending.event.f)} (line ${pending.line})`, { file, line });
    }
    if (event.key !== undefined && event.key !== pending.event.key) {
      throw new HistoryError(`completion key ${JSON.stringify(event.key)} does not match the invoke's ${JSON.stringify(pending.event.key ?? null)} (line ${pending.line})`, { file, line });
    }
    open.delete(process);
    const slot = pending.slot;
    const op = slots[slot]!;
    if (event.type === 'ok') {
      const problem = valueProblem(event, model);
      if (problem) throw new HistoryError(problem, { file, line });
      op.status = 'ok';
      op.output = event.value;
      op.return = event.time;
      op.completeIndex = index;
      if (event.node !== undefined) op.node = event.node;
    } else if (event.type === 'fail' && event.f === 'cas' && event.error === 'compare-failed') {
      op.status = 'ok';
      op.compareFailed = true;
      op.output = event.value;
      op.return = event.time;
      op.completeIndex = index;
      op.error = event.error;
    } else if (event.type === 'fail') {
      slots[slot] = undefined;
    } else {
      op.completeIndex = index;
      if (event.error !== undefined) op.error = event.error;
    }
  }

  const ops: Operation[] = [];
  for (const op of slots) {
    if (!op) continue;
    if (op.status === 'info' && READS.has(op.f)) continue;
    op.id = ops.length;
    ops.push(op);
  }
  return ops;
}

function unknownOutcome(event: HistoryEvent, index: number, line: number, file: string | undefined, number: number): Operation {
  const op: Operation = {
    id: -1,
    number,
    process: event.process as number,
    f: event.f,
    input: event.value,
    output: undefined,
    status: 'info',
    call: event.time,
    return: Infinity,
    invokeIndex: index,
    source: file === undefined ? { line } : { file, line },
  };
  if (event.key !== undefined) op.key = event.key;
  if (event.node !== undefined) op.node = event.node;
  return op;
}

/** What is wrong with an event's value, if the models could not make sense of it. */
/** Counters count whole units; beyond 2^53 the parsers hand over exact BigInts. */
const isInteger = (v: unknown) => typeof v === 'bigint' || Number.isInteger(v);

function valueProblem(event: HistoryEvent, model: string): string | undefined {
  const v = event.value;
  let want: string | undefined;
  switch (event.f) {
    case 'cas':
      if (!(Array.isArray(v) && v.length === 2)) want = 'a pair [expected, new]';
      break;
    case 'inc':
      if (event.type === 'invoke' ? !isInteger(v) : !(v === null || isInteger(v))) {
        want = event.type === 'invoke' ? 'an integer (the delta)' : 'an integer (the value after the increment) or null';
      }
      break;
    case 'read':
      if (model === 'counter' && event.type === 'ok' && !isInteger(v)) want = 'an integer';
      break;
    case 'put':
    case 'append':
      if (typeof v !== 'string') want = 'a string';
      break;
    case 'get':
      if (event.type === 'ok' && !(v === null || typeof v === 'string')) want = 'a string';
      break;
  }
  return want === undefined ? undefined : `${event.f} ${event.type} value ${show(v)} is not ${want}`;
}

function show(v: unknown): string {
  try {
    return stringifyExact(v) ?? String(v);
  } catch {
    return String(v);
  }
}
