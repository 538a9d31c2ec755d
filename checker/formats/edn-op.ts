// Turns one Jepsen/Knossos op map (already plain data, keywords as strings) into a HistoryEvent.
// Shared by the jepsen-edn and porcupine-kv readers.
import { stringifyExact } from './exact-json.ts';
import type { EventType, ProcessId } from '../types.ts';
import { HistoryError } from '../history/history-error.ts';
import { ednOpForms, ednValue } from './edn-forms.ts';

/** A HistoryEvent whose time may still be missing (see withTimes). */
export interface UntimedEvent {
  process: ProcessId;
  type: EventType;
  f: string;
  key?: string;
  value: unknown;
  time?: number;
  [extra: string]: unknown;
}

const EVENT_TYPES: ReadonlySet<string> = new Set(['invoke', 'ok', 'fail', 'info']);

/**
 * `time` is left undefined when the map has none (Knossos-era histories); the caller then numbers
 * events by position so that file order is real-time order.
 */
export function ednOpToEvent(map: unknown, where: { file?: string; line: number }): UntimedEvent {
  const fail = (msg: string) => new HistoryError(msg, where);
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw fail(`expected an op map like {:process 0, :type :invoke, :f :read, :value nil}, got ${show(map)}`);
  }
  const { process, type, f, value, key, time, ...rest } = map as Record<string, unknown>;
  let proc: ProcessId;
  if (process === 'nemesis') proc = 'nemesis';
  else if (Number.isSafeInteger(process) && (process as number) >= 0) proc = process as number;
  else throw fail(`:process must be an integer >= 0 or :nemesis, got ${show(process)}`);
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
    throw fail(`:type must be :invoke, :ok, :fail or :info, got ${show(type)}`);
  }
  if (typeof f !== 'string' || f === '') throw fail(`:f must be a keyword, got ${show(f)}`);
  if (time !== undefined && !(typeof time === 'number' && Number.isFinite(time) && time >= 0)) {
    throw fail(`:time must be a number of nanoseconds >= 0, got ${show(time)}`);
  }
  const event: UntimedEvent = { ...rest, process: proc, type: type as EventType, f, value: value ?? null };
  if (key !== undefined && key !== null) event.key = String(key);
  // Jepsen errors are often vectors or maps ([:timeout], {:type :unavailable}); events carry text.
  if (event.error !== undefined && event.error !== null && typeof event.error !== 'string') event.error = show(event.error);
  if (event.error === null) delete event.error;
  if (time !== undefined) event.time = time as number;
  return event;
}

/**
 * A piece of an EDN history: each op form (a `#_` form dropped) as an event, `check`ed by the
 * format (kv's rules, say) with its place.
 */
export function ednPiece(text: string, file: string | undefined, firstLine: number, check?: (e: UntimedEvent, where: { file?: string; line: number }) => void): { events: UntimedEvent[]; lines: number[] } {
  const events: UntimedEvent[] = [];
  const lines: number[] = [];
  for (const form of ednOpForms(text, file, firstLine)) {
    if (form.text.startsWith('#_')) continue;
    const where = { file, line: form.line };
    const event = ednOpToEvent(ednValue(form, file), where);
    check?.(event, where);
    events.push(event);
    lines.push(form.line);
  }
  return { events, lines };
}

export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  try {
    return stringifyExact(v) ?? String(v);
  } catch {
    return String(v);
  }
}
