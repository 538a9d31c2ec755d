// Porcupine's key-value test histories (test_data/kv/*.txt): one EDN map per line,
// `{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}`, with f get/put/append on
// string keys and values. File order is real-time order (there is no :time).
import { HistoryError } from '../history/history-error.ts';
import { ednPiece, show } from './edn-op.ts';
import { withTimes } from './jepsen-edn.ts';
import type { FormatReader } from './format-reader.ts';

const KV_FS: ReadonlySet<string> = new Set(['get', 'put', 'append']);

export const porcupineKvReader: FormatReader = {
  cut: 'form',
  piece: (text, file, firstLine) =>
    ednPiece(text, file, firstLine, (event, where) => {
      if (event.process === 'nemesis') return;
      if (!KV_FS.has(event.f)) throw new HistoryError(`unknown :f ${show(event.f)}: kv histories use :get, :put and :append`, where);
      if (event.key === undefined) throw new HistoryError('a kv op needs a :key', where);
      if (event.value !== null && typeof event.value !== 'string') {
        throw new HistoryError(`a kv :value must be a string or nil, got ${show(event.value)}`, where);
      }
    }),
  finish: ({ events, lines }) => withTimes(events, lines),
};

