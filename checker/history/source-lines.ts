// Where each parsed event came from: one array of 1-based line numbers per parsed history, kept
// beside the events rather than as a field on them, so tools that rewrite or compare histories
// never see a field that was not in the file. (Per-event bookkeeping, a WeakMap entry or a hidden
// property each, made million-event histories several times slower to read.)
import type { HistoryEvent } from '../types.ts';

const byHistory = new WeakMap<readonly HistoryEvent[], readonly number[]>();

/** Records that `events[i]` was read from line `lines[i]`. */
export function setLines(events: readonly HistoryEvent[], lines: readonly number[]): void {
  byHistory.set(events, lines);
}

/**
 * The line of each event of a history as a parser returned it; undefined for an array that did
 * not come from a parser (a filtered copy, say): positions are then the best guess.
 */
export function linesOf(events: readonly HistoryEvent[]): readonly number[] | undefined {
  return byHistory.get(events);
}
