// Splits EDN text into its forms, with the line each starts on, before edn-read.ts turns a form
// into values. Brackets and strings are checked here first, so every problem is reported with
// its line, as a HistoryError.
import { HistoryError } from '../history/history-error.ts';
import { readEdnForm } from './edn-read.ts';

/** One EDN form: its text and the 1-based line it starts on. */
export interface EdnForm {
  text: string;
  line: number;
}

// Character classes by code, for the scanner's inner loops (it sees every byte of big histories).
const SPACE = 1;
const DELIMITER = 2;
const CLASS = new Uint8Array(128);
for (const c of ' \t\n\r,') CLASS[c.charCodeAt(0)] = SPACE | DELIMITER;
for (const c of '";()[]{}') CLASS[c.charCodeAt(0)] = DELIMITER;
const NL = 10;
const QUOTE = 34;
const HASH = 35;
const SEMI = 59;
const BACKSLASH = 92;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPENER_NAME: Record<number, string> = { [CLOSE_PAREN]: '(', [CLOSE_BRACKET]: '[', [CLOSE_BRACE]: '{' };

function closerOf(code: number): number {
  return code === OPEN_PAREN ? CLOSE_PAREN : code === OPEN_BRACKET ? CLOSE_BRACKET : CLOSE_BRACE;
}

function isClass(code: number, cls: number): boolean {
  return code < 128 && (CLASS[code]! & cls) !== 0;
}

interface Span {
  start: number;
  end: number;
  line: number;
  depth: number;
}

/**
 * Every form at depth 0, and at depth 1 inside a top-level vector, in order. A tag (`#inst`,
 * `#jepsen.history.Op`, `#_`) is kept together with the form it tags.
 */
function scan(text: string, file: string | undefined, firstLine: number): Span[] {
  const spans: Span[] = [];
  // Open collections: the code of the expected closer, the line it opened on, its span if tracked.
  const closers: number[] = [];
  const openLines: number[] = [];
  const openSpans: (Span | undefined)[] = [];
  const n = text.length;
  let line = firstLine;
  let tagStart = -1;
  let tagLine = 0;
  // A form starting at `start`: tracked when shallow enough, always taking a pending tag with it.
  const begin = (start: number, startLine: number): Span | undefined => {
    const depth = closers.length;
    const from = tagStart >= 0 ? tagStart : start;
    const fromLine = tagStart >= 0 ? tagLine : startLine;
    tagStart = -1;
    // Inside a top-level map only the map itself matters; a top-level vector's or list's elements are ops.
    if (depth > 1 || (depth === 1 && closers[0] !== CLOSE_BRACKET && closers[0] !== CLOSE_PAREN)) return undefined;
    const span = { start: from, end: start, line: fromLine, depth };
    spans.push(span);
    return span;
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === NL) {
      line++;
      i++;
    } else if (isClass(c, SPACE)) {
      i++;
    } else if (c === SEMI) {
      while (i < n && text.charCodeAt(i) !== NL) i++;
    } else if (c === QUOTE) {
      const span = begin(i, line);
      const startLine = line;
      i++;
      for (;;) {
        if (i >= n) throw new HistoryError(`truncated EDN: the string opened on line ${startLine} is never closed`, { file, line: startLine });
        const d = text.charCodeAt(i);
        if (d === QUOTE) break;
        if (d === BACKSLASH) i++;
        else if (d === NL) line++;
        i++;
      }
      i++;
      if (span) span.end = i;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET || c === OPEN_PAREN || (c === HASH && text.charCodeAt(i + 1) === OPEN_BRACE)) {
      const span = begin(i, line);
      closers.push(closerOf(c === HASH ? OPEN_BRACE : c));
      openLines.push(line);
      openSpans.push(span);
      i += c === HASH ? 2 : 1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET || c === CLOSE_PAREN) {
      const expected = closers.pop();
      const ch = String.fromCharCode(c);
      if (expected === undefined) throw new HistoryError(`malformed EDN: '${ch}' closes nothing`, { file, line });
      const openedOn = openLines.pop()!;
      const span = openSpans.pop();
      if (expected !== c) {
        throw new HistoryError(`malformed EDN: '${ch}' where '${String.fromCharCode(expected)}' was expected (to close what opened on line ${openedOn})`, { file, line });
      }
      i++;
      if (span) span.end = i;
    } else {
      // An atom: symbol, keyword, number, nil/true/false, a \char, or a #tag prefix.
      const start = i;
      i += c === BACKSLASH ? 2 : 1;
      while (i < n && !isClass(text.charCodeAt(i), DELIMITER)) i++;
      if (c === HASH) {
        if (tagStart < 0) {
          tagStart = start;
          tagLine = line;
        }
        continue;
      }
      const span = begin(start, line);
      if (span) span.end = i;
    }
  }
  if (closers.length > 0) {
    const innermost = closers[closers.length - 1]!;
    const openedOn = openLines[openLines.length - 1]!;
    throw new HistoryError(`truncated EDN: the '${OPENER_NAME[innermost]}' opened on line ${openedOn} is never closed`, { file, line: openedOn });
  }
  if (tagStart >= 0) throw new HistoryError('truncated EDN: a tag with nothing after it', { file, line: tagLine });
  return spans;
}

/** The top-level forms of `text`. */
export function ednTopForms(text: string, file: string | undefined, firstLine = 1): EdnForm[] {
  return scan(text, file, firstLine)
    .filter((s) => s.depth === 0)
    .map((s) => ({ text: text.slice(s.start, s.end), line: s.line }));
}

/**
 * The history's op forms: the elements of a top-level vector or list (Knossos/Jepsen
 * `history.edn`), or the top-level forms themselves (one map per line).
 */
export function ednOpForms(text: string, file: string | undefined, firstLine = 1): EdnForm[] {
  const spans = scan(text, file, firstLine);
  const top = spans.filter((s) => s.depth === 0);
  const pick = (s: Span): EdnForm => ({ text: text.slice(s.start, s.end), line: s.line });
  if (top.length === 1 && (text[top[0]!.start] === '[' || text[top[0]!.start] === '(')) {
    return spans.filter((s) => s.depth === 1).map(pick);
  }
  return top.map(pick);
}

/** Plain JS data from one EDN form (edn-read.ts says how each kind of EDN value comes out). */
export function ednValue(form: EdnForm, file: string | undefined): unknown {
  return readEdnForm(form.text, { ...(file !== undefined ? { file } : {}), line: form.line });
}
