// Jepsen log lines, as in the etcd histories Porcupine tests with:
//   INFO  jepsen.util - 3	:ok	:cas	[1 2]
// fields separated by tabs or runs of spaces. Lines without an op (the rest of a Jepsen log) are
// skipped. There are no timestamps an op could be ordered by, so file order is real-time order.
//
// Outcomes follow Porcupine's reading of these logs (parseJepsenLog):
// - `:info … :timed-out`: the op may or may not have happened, now or later: an `info` completion.
// - `:fail :read :timed-out`: a read whose result is unknown. A read changes nothing, so "unknown"
//   and "did not happen" are the same to the checker: it becomes an `info` completion, and
//   toOperations drops reads of unknown outcome. Any other `:fail … :timed-out` is likewise `info`
//   (unknown is the safe reading of a timeout).
// - `:fail :cas [a b]`: the compare did not match. Porcupine checks these as a cas that saw a value
//   other than `a`; they get `error: "compare-failed"`, which toOperations keeps as such.
// - any other `:fail`: did not happen.
import type { EventType, HistoryEvent, ProcessId } from '../types.ts';
import { HistoryError } from '../history/history-error.ts';
import { setLines } from '../history/source-lines.ts';
import { ednTopForms, ednValue } from './edn-forms.ts';
import { linePiece, type FormatReader } from './format-reader.ts';

const OP_LINE = /jepsen\.util\s*[-:]\s+(\S+)\s+:(invoke|ok|fail|info)\s+(\S+)\s*(.*)$/;
const INT = /^-?\d+$/;

export const jepsenLogReader: FormatReader = {
  cut: 'line',
  piece: (text, file, firstLine) => linePiece(text, firstLine, (l, line) => parseLogLine(l, file, line)),
  // No timestamps: an op's position in the file is its time.
  finish({ events, lines }) {
    events.forEach((e, i) => (e.time = i));
    setLines(events as HistoryEvent[], lines);
    return events as HistoryEvent[];
  },
};


function parseLogLine(text: string, file: string | undefined, line: number): HistoryEvent | undefined {
  const m = OP_LINE.exec(text.trimEnd());
  if (!m) return undefined;
  const where = { file, line };
  const [, procText, typeText, fText, valueText] = m as unknown as [string, string, EventType, string, string];
  const process = parseProcess(procText, where);
  if (!fText.startsWith(':') || fText.length < 2) throw new HistoryError(`the op's f must be a keyword like :read, got ${JSON.stringify(fText)}`, where);
  const f = fText.slice(1);
  const event: HistoryEvent = { process, type: typeText, f, value: null, time: 0 };
  if (valueText.trim() === ':timed-out') {
    if (typeText === 'invoke' || typeText === 'ok') throw new HistoryError(`an :${typeText} cannot be :timed-out`, where);
    event.type = 'info';
    event.error = 'timed-out';
  } else {
    event.value = parseValue(valueText.trim(), file, line);
    if (typeText === 'fail' && f === 'cas') event.error = 'compare-failed';
  }
  return event;
}

function parseProcess(text: string, where: { file?: string; line: number }): ProcessId {
  if (text === ':nemesis') return 'nemesis';
  if (INT.test(text) && Number.isSafeInteger(Number(text)) && Number(text) >= 0) return Number(text);
  throw new HistoryError(`the process must be an integer >= 0 or :nemesis, got ${JSON.stringify(text)}`, where);
}

function parseValue(text: string, file: string | undefined, line: number): unknown {
  // Fast paths for what nearly every line holds.
  if (text === '' || text === 'nil') return null;
  if (INT.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  try {
    const forms = ednTopForms(text, file);
    if (forms.length !== 1) throw new HistoryError(`expected one value after the op's f, got ${JSON.stringify(text)}`);
    return ednValue(forms[0]!, file);
  } catch (err) {
    // The value was read on its own, so its errors point at line 1: point them at the log's line.
    if (err instanceof HistoryError) throw new HistoryError(err.detail, { file, line });
    throw err;
  }
}
