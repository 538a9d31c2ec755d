// yargs turns `--nodes abc` into NaN before any command sees it, which would make every message
// say "got NaN". This looks the words up again in the raw arguments, so the error quotes what
// the user typed.

/** The text given for `--name` (as `--name X` or `--name=X`), the last one when repeated. */
export function rawFlagValue(args: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a === `--${name}`) found = args[i + 1];
    else if (a.startsWith(`--${name}=`)) found = a.slice(name.length + 3);
  }
  return found;
}

/**
 * The first flag (in kebab-case, as typed) whose parsed value is NaN, with its raw text; yargs
 * keeps camelCase copies of every flag, and only the typed spelling is reported.
 */
export function firstNonNumber(parsed: Record<string, unknown>, args: readonly string[]): { flag: string; text: string } | undefined {
  for (const [key, value] of Object.entries(parsed)) {
    const isNaN = typeof value === 'number' ? Number.isNaN(value) : Array.isArray(value) && value.some((v) => typeof v === 'number' && Number.isNaN(v));
    if (!isNaN || /[A-Z]/.test(key)) continue;
    const text = rawFlagValue(args, key) ?? (key.length === 1 ? rawShort(args, key) : undefined) ?? '';
    return { flag: key, text };
  }
  return undefined;
}

function rawShort(args: readonly string[], letter: string): string | undefined {
  const i = args.lastIndexOf(`-${letter}`);
  return i >= 0 ? args[i + 1] : undefined;
}
