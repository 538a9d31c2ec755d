// `--format auto`: tells the history formats apart by their first lines.
import { HistoryError } from '../history/history-error.ts';

export const HISTORY_FORMATS = ['jsonl', 'jepsen-edn', 'jepsen-log', 'porcupine-kv'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

const LOOKAHEAD_LINES = 50;
const JEPSEN_LOG_OP = /jepsen\.util\s*[-:]\s+\S+\s+:(invoke|ok|fail|info)\s/;
const KV_F = /:f\s+:(get|put|append)\b/;

/**
 * - jepsen-log: a `jepsen.util - <process> :<type> …` line among the first ones (a Jepsen log
 *   may open with other lines);
 * - jsonl: the first line is a JSON object;
 * - porcupine-kv: EDN maps whose :f is :get/:put/:append on a :key;
 * - jepsen-edn: any other EDN map or vector.
 * An empty history reads as jsonl (no events either way).
 */
export function detectFormat(text: string, file?: string): HistoryFormat {
  const head = firstLines(text, LOOKAHEAD_LINES);
  if (head.length === 0) return 'jsonl';
  if (head.some((l) => JEPSEN_LOG_OP.test(l.text))) return 'jepsen-log';
  const first = head[0]!;
  if (first.text.startsWith('{"') || first.text === '{' || first.text.startsWith('{ "')) return 'jsonl';
  if (first.text.startsWith('{')) {
    if (isJsonObject(first.text)) return 'jsonl';
    return KV_F.test(first.text) && /:key\s/.test(first.text) ? 'porcupine-kv' : 'jepsen-edn';
  }
  if (first.text.startsWith('[') || first.text.startsWith('(') || first.text.startsWith('#') || first.text.startsWith(';')) return 'jepsen-edn';
  throw new HistoryError(
    `cannot tell this history's format from ${JSON.stringify(first.text.slice(0, 60))}; pass --format (${HISTORY_FORMATS.join(', ')})`,
    { file, line: first.line },
  );
}

function firstLines(text: string, n: number): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let start = 0;
  for (let line = 1; start <= text.length && out.length < n; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const t = text.slice(start, end).trim();
    if (t !== '') out.push({ text: t, line });
    start = end + 1;
  }
  return out;
}

function isJsonObject(line: string): boolean {
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}
