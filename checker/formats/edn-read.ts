// Reads one EDN form into plain JS data, the way Jepsen histories need it: keywords and symbols
// become strings (`:read` → "read"), nil null, vectors, lists and sets arrays, maps objects,
// `#inst`/`#uuid` their text, any other tag the value it tags (`#jepsen.history.Op{…}` → the map),
// `#_` drops the next form. Integers outside the safe range stay exact (BigInt), so two different
// big values never compare equal.
//
// Iterative (an explicit stack, so deep nesting is a clear error, not a stack overflow) and linear
// (every character is looked at once; an atom longer than MAX_ATOM is refused before it is parsed).
import { HistoryError } from '../history/history-error.ts';
import { MAX_ATOM, MAX_DEPTH } from './exact-json.ts';

interface Frame {
  kind: 'vector' | 'list' | 'set' | 'map';
  close: string;
  items: unknown[];
  line: number;
}

/** A pending `#tag` or `#_`, applied to the next complete value at its depth. */
interface Pending {
  tag: string;
  depth: number;
}

const DELIMS = new Set([' ', '\t', '\n', '\r', ',', '"', ';', '(', ')', '[', ']', '{', '}']);
const CHAR_NAMES: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', formfeed: '\f', backspace: '\b' };
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };

function atomValue(atom: string, fail: (m: string) => HistoryError): unknown {
  if (atom === 'nil') return null;
  if (atom === 'true') return true;
  if (atom === 'false') return false;
  if (atom.startsWith(':')) {
    if (atom.length === 1) throw fail("malformed EDN: a lone ':'");
    return atom.slice(1);
  }
  if (/^[-+]?\d+N?$/.test(atom)) {
    const digits = atom.endsWith('N') ? atom.slice(0, -1) : atom;
    const n = Number(digits);
    return Number.isSafeInteger(n) ? n : BigInt(digits.startsWith('+') ? digits.slice(1) : digits);
  }
  if (/^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?M?$/.test(atom)) return Number(atom.endsWith('M') ? atom.slice(0, -1) : atom);
  if (/^[-+]?\d+\/\d+$/.test(atom)) {
    const [a, b] = atom.split('/');
    return Number(a) / Number(b);
  }
  if (/^[-+]?\d/.test(atom)) throw fail(`malformed EDN: ${JSON.stringify(atom.slice(0, 40))} is not a number`);
  return atom; // a symbol
}

function mapOf(items: unknown[], fail: (m: string) => HistoryError): Record<string, unknown> {
  if (items.length % 2 !== 0) throw fail('malformed EDN: a map with an odd number of forms');
  const out: Record<string, unknown> = {};
  for (let i = 0; i < items.length; i += 2) {
    const k = items[i];
    const key = typeof k === 'string' ? k : typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean' ? String(k) : k === null ? 'nil' : JSON.stringify(k);
    out[key] = items[i + 1];
  }
  return out;
}

/** The single form in `text` (which starts on `line`), as plain data. */
export function readEdnForm(text: string, where: { file?: string; line: number }): unknown {
  let line = where.line;
  const fail = (m: string) => new HistoryError(m, { ...(where.file !== undefined ? { file: where.file } : {}), line });
  const stack: Frame[] = [];
  const pending: Pending[] = [];
  let result: unknown;
  let done = false;

  const emit = (value: unknown): void => {
    let v = value;
    // Tags and discards waiting at this depth apply to this value, innermost first.
    while (pending.length > 0 && pending[pending.length - 1]!.depth === stack.length) {
      const { tag } = pending.pop()!;
      if (tag === '_') return; // #_ drops the form
      if ((tag === 'inst' || tag === 'uuid') && typeof v !== 'string') throw fail(`malformed EDN: #${tag} must tag a string`);
      // Any other tag (a record type, #jepsen.history.Op …): the tagged value is what matters.
    }
    if (stack.length === 0) {
      if (done) throw fail('malformed EDN: more than one form where one was expected');
      result = v;
      done = true;
      return;
    }
    stack[stack.length - 1]!.items.push(v);
  };

  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === ',') {
      i++;
    } else if (c === ';') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '"') {
      let s = '';
      let from = ++i;
      for (;;) {
        if (i >= n) throw fail('truncated EDN: a string is never closed');
        const d = text[i]!;
        if (d === '"') break;
        if (d === '\n') line++;
        if (d === '\\') {
          s += text.slice(from, i);
          const e = text[i + 1];
          if (e === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw fail('malformed EDN: a \\u escape needs four hex digits');
            s += String.fromCharCode(parseInt(hex, 16));
            i += 6;
          } else if (e !== undefined && ESCAPES[e] !== undefined) {
            s += ESCAPES[e];
            i += 2;
          } else {
            throw fail(`malformed EDN: unknown string escape \\${e ?? ''}`);
          }
          from = i;
          continue;
        }
        i++;
      }
      s += text.slice(from, i);
      i++;
      emit(s);
    } else if (c === '(' || c === '[' || c === '{' || (c === '#' && text[i + 1] === '{')) {
      if (stack.length >= MAX_DEPTH) throw fail(`a value nested deeper than ${MAX_DEPTH} levels`);
      const set = c === '#';
      const open = set ? '{' : c;
      stack.push({ kind: set ? 'set' : open === '(' ? 'list' : open === '[' ? 'vector' : 'map', close: open === '(' ? ')' : open === '[' ? ']' : '}', items: [], line });
      i += set ? 2 : 1;
    } else if (c === ')' || c === ']' || c === '}') {
      const top = stack.pop();
      if (!top) throw fail(`malformed EDN: '${c}' closes nothing`);
      if (top.close !== c) throw fail(`malformed EDN: '${c}' where '${top.close}' was expected (to close what opened on line ${top.line})`);
      if (pending.length > 0 && pending[pending.length - 1]!.depth > stack.length) throw fail('malformed EDN: a tag with nothing after it');
      i++;
      emit(top.kind === 'map' ? mapOf(top.items, fail) : top.items);
    } else if (c === '#') {
      // #_ (discard) or #tag: read the tag's name, then wait for the form it applies to.
      if (text[i + 1] === '_') {
        pending.push({ tag: '_', depth: stack.length });
        i += 2;
        continue;
      }
      let j = i + 1;
      while (j < n && !DELIMS.has(text[j]!)) j++;
      if (j === i + 1) throw fail("malformed EDN: '#' with no tag name");
      pending.push({ tag: text.slice(i + 1, j), depth: stack.length });
      i = j;
    } else if (c === '\\') {
      let j = i + 2;
      while (j < n && !DELIMS.has(text[j]!)) j++;
      const name = text.slice(i + 1, j);
      if (name.length === 0) throw fail('truncated EDN: a \\ with no character');
      if (name.length === 1) emit(name);
      else if (CHAR_NAMES[name] !== undefined) emit(CHAR_NAMES[name]);
      else if (/^u[0-9a-fA-F]{4}$/.test(name)) emit(String.fromCharCode(parseInt(name.slice(1), 16)));
      else throw fail(`malformed EDN: unknown character \\${name.slice(0, 20)}`);
      i = j;
    } else {
      let j = i + 1;
      while (j < n && !DELIMS.has(text[j]!)) {
        j++;
        if (j - i > MAX_ATOM) throw fail(`an atom longer than ${MAX_ATOM} characters (a number or symbol no history needs); refusing it rather than parsing it slowly`);
      }
      emit(atomValue(text.slice(i, j), fail));
      i = j;
    }
  }
  if (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    throw new HistoryError(`truncated EDN: the '${top.close === ')' ? '(' : top.close === ']' ? '[' : '{'}' opened on line ${top.line} is never closed`, { ...(where.file !== undefined ? { file: where.file } : {}), line: top.line });
  }
  if (pending.length > 0) throw fail('truncated EDN: a tag with nothing after it');
  if (!done) throw fail('malformed EDN: no form');
  return result;
}
