// Where each parsed event came from. Kept beside the events (not as a field on them) so that
// tools which rewrite a history do not gain a field that was never in the file.
import type { HistoryEvent } from '../types.ts';

const lines = new WeakMap<HistoryEvent, number>();

/** Records that `event` was read from 1-based `line`. */
export function setLine(event: HistoryEvent, line: number): void {
  lines.set(event, line);
}

/** The 1-based line `event` was read from, if a parser recorded it. */
export function lineOf(event: HistoryEvent): number | undefined {
  return lines.get(event);
}
