// Every history format tenrec reads, by name: one registry for reading a text whole
// (history/parse.ts) and a file in pieces (history/read-file.ts).
import { HistoryError } from '../history/history-error.ts';
import { HISTORY_FORMATS, type HistoryFormat } from './detect.ts';
import type { FormatReader } from './format-reader.ts';
import { jsonlReader } from './jsonl.ts';
import { jepsenEdnReader } from './jepsen-edn.ts';
import { jepsenLogReader } from './jepsen-log.ts';
import { porcupineKvReader } from './porcupine-kv.ts';

export const READERS: Record<HistoryFormat, FormatReader> = {
  jsonl: jsonlReader,
  'jepsen-edn': jepsenEdnReader,
  'jepsen-log': jepsenLogReader,
  'porcupine-kv': porcupineKvReader,
};

/** Refuses a `--format` that names no format. */
export function checkFormatName(requested: string, file: string | undefined): void {
  if (requested !== 'auto' && !(HISTORY_FORMATS as readonly string[]).includes(requested)) {
    throw new HistoryError(`unknown format ${JSON.stringify(requested)} (use auto, ${HISTORY_FORMATS.join(', ')})`, { file });
  }
}
