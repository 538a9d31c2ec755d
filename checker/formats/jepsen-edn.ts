// Jepsen/Knossos `history.edn`: a top-level vector (or list) of op maps, or one op map per line.
// `:nemesis` ops are kept (with process "nemesis") and skipped by the checker; a history run
// through jepsen.independent, whose values are `[key value]` tuples, becomes `key` + value.
// Read as Knossos reads it: file order is real-time order (Jepsen stamps :time per worker
// thread, so times may go backwards; the original is kept as `jepsenTime`), and an `:ok :read`
// whose value is nil says nothing about the register (Knossos' register models accept any
// state for it), so it becomes a read of unknown result.
import type { HistoryEvent } from '../types.ts';
import { setLines } from '../history/source-lines.ts';
import { ednPiece } from './edn-op.ts';
import type { FormatReader } from './format-reader.ts';
import type { UntimedEvent } from './edn-op.ts';

export const jepsenEdnReader: FormatReader = {
  cut: 'form',
  piece: (text, file, firstLine) => ednPiece(text, file, firstLine),
  finish: ({ events, lines }) => finishEdn(events, lines),
};


function finishEdn(events: UntimedEvent[], lines: number[]): HistoryEvent[] {
  if (isIndependent(events)) {
    for (const e of events) {
      if (e.process === 'nemesis') continue;
      const [key, value] = e.value as [unknown, unknown];
      e.key = String(key);
      e.value = value;
    }
  }
  for (const e of events) {
    if (e.process !== 'nemesis' && e.f === 'read' && e.type === 'ok' && e.value === null) {
      e.type = 'info';
      e.error = 'nil-read';
    }
  }
  return withTimes(events, lines);
}

/**
 * jepsen.independent wraps every client value as `[key value]`. Plain register histories never
 * look like that throughout: a read's invoke has value nil and a write's a scalar. The one history
 * that could fool the test, all cas ops, is told apart by the inner value being a pair itself.
 */
function isIndependent(events: readonly { process: unknown; f: string; value: unknown }[]): boolean {
  let clients = 0;
  for (const e of events) {
    if (e.process === 'nemesis') continue;
    clients++;
    // The key of a jepsen.independent tuple is a scalar; a pair of lists is something else
    // (a two-step multi-register transaction, say).
    if (!isPair(e.value) || (typeof e.value[0] === 'object' && e.value[0] !== null)) return false;
    if (e.f === 'cas' && !isPair(e.value[1]) && e.value[1] !== null) return false;
  }
  return clients > 0;
}

function isPair(v: unknown): v is [unknown, unknown] {
  return Array.isArray(v) && v.length === 2;
}

/**
 * Every event's time is its position, so real-time order is file order, as Knossos has it; a
 * `:time` the history carries is kept as `jepsenTime`, a label (Jepsen's clocks are per worker
 * thread and may go backwards).
 */
export function withTimes(events: UntimedEvent[], lines: number[]): HistoryEvent[] {
  events.forEach((e, i) => {
    if (e.time !== undefined) e.jepsenTime = e.time;
    e.time = i;
  });
  setLines(events as HistoryEvent[], lines);
  return events as HistoryEvent[];
}
