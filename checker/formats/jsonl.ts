// tenrec's own history format: one JSON object per line (docs/history-format.md).
// Unknown fields are kept on the event so tools that rewrite histories do not lose them.
import type { HistoryEvent } from '../types.ts';
import { HistoryError } from '../history/history-error.ts';
import { setLines } from '../history/source-lines.ts';
import { linePiece, type FormatReader } from './format-reader.ts';
import { JsonValueError, parseJsonExact, stringifyExact } from './exact-json.ts';

const EVENT_TYPES: ReadonlySet<string> = new Set(['invoke', 'ok', 'fail', 'info']);

export const jsonlReader: FormatReader = {
  cut: 'line',
  piece: (text, file, firstLine) => linePiece(text, firstLine, (l, line) => (l.trim() === '' ? undefined : parseLine(l.trim(), file, line))),
  finish({ events, lines }) {
    setLines(events as HistoryEvent[], lines);
    return events as HistoryEvent[];
  },
};


function parseLine(raw: string, file: string | undefined, line: number): HistoryEvent {
  let parsed: unknown;
  try {
    parsed = parseJsonExact(raw);
  } catch (err) {
    if (err instanceof JsonValueError) throw new HistoryError(err.message, { file, line });
    // V8 parses deep nesting iteratively, but guard against a RangeError all the same.
    const what = err instanceof RangeError ? 'a value nested too deeply' : `bad JSON: ${(err as Error).message}`;
    throw new HistoryError(what, { file, line });
  }
  return toEvent(parsed, (msg) => new HistoryError(msg, { file, line }));
}

function toEvent(obj: unknown, fail: (msg: string) => HistoryError): HistoryEvent {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw fail('each line must be a JSON object');
  }
  const o = obj as Record<string, unknown>;
  const process = o.process;
  if (!(process === 'nemesis' || (Number.isSafeInteger(process) && (process as number) >= 0))) {
    throw fail(`"process" must be an integer >= 0 or "nemesis", got ${show(process)}`);
  }
  if (typeof o.type !== 'string' || !EVENT_TYPES.has(o.type)) {
    throw fail(`"type" must be "invoke", "ok", "fail" or "info", got ${show(o.type)}`);
  }
  if (typeof o.f !== 'string' || o.f === '') throw fail(`"f" must be a non-empty string, got ${show(o.f)}`);
  if (o.key !== undefined && typeof o.key !== 'string') throw fail(`"key" must be a string, got ${show(o.key)}`);
  if (!Number.isSafeInteger(o.time) || (o.time as number) < 0) {
    throw fail(`"time" must be an integer >= 0 (nanoseconds), got ${show(o.time)}`);
  }
  // The spec asks for "value" on every line; an absent one is read as null rather than refused,
  // since a read's invoke carries nothing anyway.
  // The object is fresh from JSON.parse, so it is completed in place rather than copied.
  if (o.value === undefined) o.value = null;
  return o as HistoryEvent;
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : stringifyExact(v);
}
