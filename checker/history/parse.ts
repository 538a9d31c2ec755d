// Reading a history file of any supported format into HistoryEvents.
import type { HistoryEvent } from '../types.ts';
import { detectFormat, HISTORY_FORMATS } from '../formats/detect.ts';
import type { HistoryFormat } from '../formats/detect.ts';
import { parseJsonl } from '../formats/jsonl.ts';
import { parseJepsenEdn } from '../formats/jepsen-edn.ts';
import { parseJepsenLog } from '../formats/jepsen-log.ts';
import { parsePorcupineKv } from '../formats/porcupine-kv.ts';
import { HistoryError } from './history-error.ts';

export { HistoryError } from './history-error.ts';
export { linesOf } from './source-lines.ts';
export { detectFormat, HISTORY_FORMATS } from '../formats/detect.ts';
export type { HistoryFormat } from '../formats/detect.ts';

export interface ParseOptions {
  /** Default `auto`: told apart by content (see detectFormat). */
  format?: 'auto' | HistoryFormat;
  /** Named in error messages. */
  file?: string;
}

const PARSERS: Record<HistoryFormat, (text: string, file?: string) => HistoryEvent[]> = {
  jsonl: parseJsonl,
  'jepsen-edn': parseJepsenEdn,
  'jepsen-log': parseJepsenLog,
  'porcupine-kv': parsePorcupineKv,
};

/** Parses `text`; every problem is a HistoryError naming the file and line. */
export function parseHistory(text: string, opts: ParseOptions = {}): HistoryEvent[] {
  return parseHistoryDetected(text, opts).events;
}

/** Like parseHistory, and says which format was read (what `auto` picked). */
export function parseHistoryDetected(text: string, opts: ParseOptions = {}): { events: HistoryEvent[]; format: HistoryFormat } {
  const requested = opts.format ?? 'auto';
  if (requested !== 'auto' && !(HISTORY_FORMATS as readonly string[]).includes(requested)) {
    throw new HistoryError(`unknown format ${JSON.stringify(requested)} (use auto, ${HISTORY_FORMATS.join(', ')})`, { file: opts.file });
  }
  // Editors on some systems start files with a byte-order mark; no format wants it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const format = requested === 'auto' ? detectFormat(text, opts.file) : requested;
  return { events: PARSERS[format](text, opts.file), format };
}

/**
 * The initial register value a format implies when the user gives none: Jepsen/Knossos register
 * histories start at nil; tenrec's own at the model's default (undefined here).
 */
export function defaultInitialFor(format: HistoryFormat): { value: unknown } | undefined {
  return format === 'jepsen-edn' || format === 'jepsen-log' ? { value: null } : undefined;
}
