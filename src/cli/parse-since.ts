// `--since`: an absolute date (anything Date.parse takes, e.g. 2026-11-28 or an ISO instant) or a
// duration back from now (90s, 30m, 2h, 7d, 1w).
import { UserError } from '../errors/user-error.ts';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseSince(text: string, now: Date = new Date()): Date {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  if (m) return new Date(now.getTime() - Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UserError(`--since takes a date (2026-11-28, an ISO instant) or a duration (90s, 30m, 2h, 7d), not ${JSON.stringify(text)}`);
  return new Date(t);
}
