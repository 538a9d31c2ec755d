// How a format is read: in pieces (whole lines or whole forms, so a file of any size is read a few
// megabytes at a time, see history/read-file.ts), then finished as one history (whatever spans
// the file: times by position, jepsen.independent tuples, line numbers).
import type { HistoryEvent } from '../types.ts';
import type { UntimedEvent } from './edn-op.ts';

export interface Piece {
  events: UntimedEvent[];
  /** The 1-based line of each event. */
  lines: number[];
}

export interface FormatReader {
  /** Pieces may be cut at any newline (`line`), or only between top-level EDN forms (`form`). */
  cut: 'line' | 'form';
  /** The events in `text`, a run of whole lines or forms of the file starting on `firstLine`. */
  piece(text: string, file: string | undefined, firstLine: number): Piece;
  /** The history from all its pieces, concatenated in file order. */
  finish(all: Piece): HistoryEvent[];
}

/** A piece of a line format: each line that `parse` makes an event of, with its line number. */
export function linePiece(text: string, firstLine: number, parse: (line: string, lineNo: number) => UntimedEvent | undefined): Piece {
  const events: UntimedEvent[] = [];
  const lines: number[] = [];
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const event = parse(all[i]!, firstLine + i);
    if (!event) continue;
    events.push(event);
    lines.push(firstLine + i);
  }
  return { events, lines };
}

/** The whole text as one piece. */
export function readWhole(reader: FormatReader, text: string, file?: string): HistoryEvent[] {
  return reader.finish(reader.piece(text, file, 1));
}
