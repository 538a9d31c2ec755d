// Reading a history file of any supported format into HistoryEvents.
import type { HistoryEvent } from '../types.ts';
import { detectFormat } from '../formats/detect.ts';
import type { HistoryFormat } from '../formats/detect.ts';
import { readWhole } from '../formats/format-reader.ts';
import { checkFormatName, READERS } from '../formats/readers.ts';

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

/** Parses `text`; every problem is a HistoryError naming the file and line. */
export function parseHistory(text: string, opts: ParseOptions = {}): HistoryEvent[] {
  return parseHistoryDetected(text, opts).events;
}

/** Like parseHistory, and says which format was read (what `auto` picked). */
export function parseHistoryDetected(text: string, opts: ParseOptions = {}): { events: HistoryEvent[]; format: HistoryFormat } {
  const requested = opts.format ?? 'auto';
  checkFormatName(requested, opts.file);
  // Editors on some systems start files with a byte-order mark; no format wants it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const format = requested === 'auto' ? detectFormat(text, opts.file) : requested;
  return { events: readWhole(READERS[format], text, opts.file), format };
}

/**
 * The initial register value a format implies when the user gives none: Jepsen/Knossos register
 * histories start at nil; tenrec's own at the model's default (undefined here).
 */
export function defaultInitialFor(format: HistoryFormat): { value: unknown } | undefined {
  return format === 'jepsen-edn' || format === 'jepsen-log' ? { value: null } : undefined;
}
