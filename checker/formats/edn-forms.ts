// Splits EDN text into its forms, with the line each starts on, before edn-data turns a form into
// values. edn-data is lenient (a stray `}` is ignored, a truncated map silently vanishes, a stray `)`
// ends the input), so brackets and strings are checked here first and every problem is reported
// with its line, as a HistoryError.
import { parseEDNString } from 'edn-data';
import { HistoryError } from '../history/history-error.ts';

/** One EDN form: its text and the 1-based line it starts on. */
export interface EdnForm {
  text: string;
  line: number;
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',';
}

function isDelimiter(c: string): boolean {
  return isSpace(c) || c === '"' || c === ';' || c in OPENERS || CLOSERS.has(c);
}

interface Span {
  start: number;
  end: number;
  line: number;
  depth: number;
}

/**
 * Every form at depth 0 and depth 1 (inside a top-level collection), in order. A tag (`#inst`,
 * `#jepsen.history.Op`, `#_`) is kept together with the form it tags.
 */
function scan(text: string, file: string | undefined): Span[] {
  const spans: Span[] = [];
  const open: { closer: string; line: number; span?: Span }[] = [];
  let line = 1;
  let pendingTag: { start: number; line: number } | undefined;
  const begin = (start: number, startLine: number): Span | undefined => {
    const depth = open.length;
    if (depth > 1) return undefined;
    const tag = pendingTag;
    pendingTag = undefined;
    const span = { start: tag?.start ?? start, end: start, line: tag?.line ?? startLine, depth };
    spans.push(span);
    return span;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (isSpace(c)) {
      i++;
    } else if (c === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"') {
      const span = begin(i, line);
      const startLine = line;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') line++;
        i++;
      }
      if (i >= text.length) throw new HistoryError(`truncated EDN: the string opened on line ${startLine} is never closed`, { file, line: startLine });
      i++;
      if (span) span.end = i;
    } else if (c in OPENERS || (c === '#' && text[i + 1] === '{')) {
      const opener = c === '#' ? '{' : c;
      const span = begin(i, line);
      open.push({ closer: OPENERS[opener]!, line, span });
      i += c === '#' ? 2 : 1;
    } else if (CLOSERS.has(c)) {
      const top = open.pop();
      if (!top) throw new HistoryError(`malformed EDN: '${c}' closes nothing`, { file, line });
      if (top.closer !== c) {
        throw new HistoryError(`malformed EDN: '${c}' where '${top.closer}' was expected (to close what opened on line ${top.line})`, { file, line });
      }
      i++;
      if (top.span) top.span.end = i;
    } else {
      // An atom: symbol, keyword, number, nil/true/false, a \char, or a #tag prefix.
      const start = i;
      const startLine = line;
      i += c === '\\' ? 2 : 1;
      while (i < text.length && !isDelimiter(text[i]!)) i++;
      if (c === '#') {
        pendingTag ??= { start, line: startLine };
        continue;
      }
      const span = begin(start, startLine);
      if (span) span.end = i;
    }
  }
  if (open.length > 0) {
    const innermost = open[open.length - 1]!;
    throw new HistoryError(`truncated EDN: the '${innermost.closer === '}' ? '{' : innermost.closer === ']' ? '[' : '('}' opened on line ${innermost.line} is never closed`, { file, line: innermost.line });
  }
  if (pendingTag) throw new HistoryError('truncated EDN: a tag with nothing after it', { file, line: pendingTag.line });
  return spans;
}

/** The top-level forms of `text`. */
export function ednTopForms(text: string, file: string | undefined): EdnForm[] {
  return scan(text, file)
    .filter((s) => s.depth === 0)
    .map((s) => ({ text: text.slice(s.start, s.end), line: s.line }));
}

/**
 * The history's op forms: the elements of a top-level vector (Knossos/Jepsen `history.edn`), or
 * the top-level forms themselves (one map per line).
 */
export function ednOpForms(text: string, file: string | undefined): EdnForm[] {
  const spans = scan(text, file);
  const top = spans.filter((s) => s.depth === 0);
  const pick = (s: Span): EdnForm => ({ text: text.slice(s.start, s.end), line: s.line });
  if (top.length === 1 && text[top[0]!.start] === '[') {
    return spans.filter((s) => s.depth === 1).map(pick);
  }
  return top.map(pick);
}

/** Plain JS data from one EDN form: keywords and symbols become strings, nil null, tags unwrapped. */
export function ednValue(form: EdnForm, file: string | undefined): unknown {
  let value: unknown;
  try {
    value = parseEDNString(form.text, {
      mapAs: 'object',
      keywordAs: 'string',
      symbolAs: 'string',
      charAs: 'string',
      setAs: 'array',
      listAs: 'array',
    });
  } catch (err) {
    throw new HistoryError(`malformed EDN: ${(err as Error).message}`, { file, line: form.line });
  }
  return plain(value);
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // An unknown tag (`#jepsen.history.Op{...}`) comes back as {tag, val}: the tagged value is what matters.
    if ('tag' in o && 'val' in o && Object.keys(o).length === 2) return plain(o.val);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = plain(x);
    return out;
  }
  return v;
}
