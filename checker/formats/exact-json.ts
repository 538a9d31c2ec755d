// JSON as histories need it: integers outside the safe range come back as exact BigInts (JSON.parse
// would round 9007199254740993 to ...992 and make two different values equal), and a value nested
// deeper than MAX_DEPTH is an error, not a stack overflow later in whatever walks it.
export const MAX_DEPTH = 1000;
/** No history value is anywhere near this long; past it an atom is refused (EDN) rather than parsed slowly. */
export const MAX_ATOM = 10_000;

const BIG_MARK = '\u0000\u0001tenrec-int:';
/** The same mark as it is spelled inside a JSON string literal. */
const BIG_MARK_JSON = '\\u0000\\u0001tenrec-int:';

export class JsonValueError extends Error {
  override name = 'JsonValueError';
}

/** Parses one JSON text. Throws SyntaxError (bad JSON) or JsonValueError (too deep). */
export function parseJsonExact(text: string): unknown {
  // A text shorter than MAX_DEPTH characters cannot nest deeper; one with no run of 16 digits holds
  // no integer beyond 2^53. Most history lines take this path.
  const deep = text.length > MAX_DEPTH;
  const big = /\d{16}/.test(text);
  if (!deep && !big) return JSON.parse(text);
  const marked = scan(text, big);
  return big ? JSON.parse(marked, (_k, v) => (typeof v === 'string' && v.startsWith(BIG_MARK) ? BigInt(v.slice(BIG_MARK.length)) : v)) : JSON.parse(text);
}

/** One pass outside strings: checks the depth and, when asked, quotes big integer literals with a mark. */
function scan(text: string, markBig: boolean): string {
  let depth = 0;
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 || c === 123 /* [ { */) {
      if (++depth > MAX_DEPTH) throw new JsonValueError(`a value nested deeper than ${MAX_DEPTH} levels`);
    } else if (c === 93 || c === 125) {
      depth--;
    } else if (markBig && (c === 45 || (c >= 48 && c <= 57))) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const next = text.charCodeAt(j);
      const integer = !(next === 46 || next === 101 || next === 69); // . e E
      const literal = text.slice(i, j);
      if (integer && literal.length >= 16 && literal !== '-' && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copied, i)}"${BIG_MARK_JSON}${literal}"`;
        copied = j;
      }
      i = j - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** JSON.stringify that writes BigInts as the exact integers they are. */
export function stringifyExact(value: unknown, space?: number): string {
  // A replacer function makes JSON.stringify several times slower; scalars need none.
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value === 'bigint') return String(value);
  let hasBig = false;
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? ((hasBig = true), `${BIG_MARK}${v}`) : v), space);
  return hasBig ? text.replace(/"\\u0000\\u0001tenrec-int:(-?\d+)"/g, '$1') : text;
}
