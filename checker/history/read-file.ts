// Reads a history file of any size a few megabytes at a time: memory follows the events kept,
// not the bytes read, and a file larger than the longest string V8 can hold (about 512 MB) reads
// like any other. Line formats are cut into pieces at newlines; EDN only between whole op forms
// (at the top level, or between the elements of a top-level vector), so a form never straddles
// two pieces.
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { HistoryEvent } from '../types.ts';
import { detectFormat, type HistoryFormat } from '../formats/detect.ts';
import type { FormatReader, Piece } from '../formats/format-reader.ts';
import { checkFormatName, READERS } from '../formats/readers.ts';

const CHUNK_BYTES = 1 << 20;
/** Enough of the file's start to tell its format (detectFormat looks at 50 lines). */
const HEAD_CHARS = 64 << 10;

export interface ReadFileOptions {
  format?: 'auto' | HistoryFormat;
  /** Characters per piece (default 4 Mi); small values are for tests. */
  pieceChars?: number;
}

/**
 * Where EDN text may be cut: after a newline outside strings and comments, with no tag waiting
 * for its form, at the top level or directly inside a top-level vector. Scans each character
 * once, keeping its state across calls.
 */
class EdnCutFinder {
  private depth = 0;
  private inString = false;
  private tagPending = false;
  private topVector = false;
  private scanned = 0;
  /** The last safe cut (an index into the current buffer), and the depth there (0 or 1). */
  lastCut = -1;
  cutDepth = 0;

  scan(text: string): void {
    for (let i = this.scanned; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (c === 92 /* \ */) i++;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      switch (c) {
        case 10: // \n
          if (!this.tagPending && (this.depth === 0 || (this.depth === 1 && this.topVector))) {
            this.lastCut = i + 1;
            this.cutDepth = this.depth;
          }
          break;
        case 32: case 9: case 13: case 44: // space, tab, CR, comma
          break;
        case 59: // ; comment to the end of the line (the newline itself is seen next)
          while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
          break;
        case 34:
          this.inString = true;
          this.tagPending = false;
          break;
        case 92: // a character literal: whatever follows is not syntax
          i++;
          this.tagPending = false;
          break;
        case 35: { // #
          const next = text.charCodeAt(i + 1);
          if (next === 123 /* { */) break; // a set opens below, on the next character
          this.tagPending = true;
          if (next === 95 /* _ */) i++;
          else while (i + 1 < text.length && !/[\s,"\[\](){};]/.test(text[i + 1]!)) i++;
          break;
        }
        case 40: case 91: case 123: // ( [ {
          if (this.depth === 0) this.topVector = c === 91 || c === 40;
          this.depth++;
          this.tagPending = false;
          break;
        case 41: case 93: case 125: // ) ] }
          if (this.depth > 0) this.depth--;
          if (this.depth === 0) this.topVector = false;
          break;
        default:
          this.tagPending = false;
      }
    }
    this.scanned = text.length;
  }

  /** The buffer was cut at `at`: shift indices. */
  shift(at: number): void {
    this.scanned -= at;
    this.lastCut = -1;
  }
}

export async function readHistoryFile(path: string, opts: ReadFileOptions = {}): Promise<{ events: HistoryEvent[]; format: HistoryFormat }> {
  const requested = opts.format ?? 'auto';
  checkFormatName(requested, path);
  const pieceChars = opts.pieceChars ?? 4 << 20;
  const handle = await open(path, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const all: Piece = { events: [], lines: [] };
    let buffer = '';
    let firstLine = 1;
    let started = false;
    let format: HistoryFormat | undefined;
    let reader: FormatReader | undefined;
    let cuts: EdnCutFinder | undefined;
    let openVector = false; // the current piece begins inside a top-level vector

    const feed = (text: string, endsInVector: boolean) => {
      const wrapped = reader!.cut === 'form' ? `${openVector ? '[' : ''}${text}${endsInVector ? ']' : ''}` : text;
      const p = reader!.piece(wrapped, path, firstLine);
      for (const e of p.events) all.events.push(e);
      for (const l of p.lines) all.lines.push(l);
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) firstLine++;
      openVector = endsInVector;
    };

    for (let eof = false; !eof; ) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      eof = bytesRead === 0;
      let text = eof ? decoder.end() : decoder.write(chunk.subarray(0, bytesRead));
      if (!started && text.length > 0) {
        started = true;
        // Editors on some systems start files with a byte-order mark; no format wants it.
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      buffer += text;
      if (format === undefined && (buffer.length >= HEAD_CHARS || eof)) {
        format = requested === 'auto' ? detectFormat(buffer, path) : requested;
        reader = READERS[format];
        if (reader.cut === 'form') cuts = new EdnCutFinder();
      }
      if (!reader) continue;
      while (buffer.length >= pieceChars) {
        let at: number;
        let depth = 0;
        if (cuts) {
          cuts.scan(buffer);
          at = cuts.lastCut;
          depth = cuts.cutDepth;
        } else {
          at = buffer.lastIndexOf('\n') + 1;
        }
        if (at <= 0) break; // no whole line or form yet: read on
        feed(buffer.slice(0, at), depth === 1);
        buffer = buffer.slice(at);
        cuts?.shift(at);
      }
    }
    if (!reader) {
      format = requested === 'auto' ? 'jsonl' : requested;
      reader = READERS[format];
    }
    if (buffer.length > 0) feed(buffer, false);
    return { events: reader.finish(all), format: format! };
  } finally {
    await handle.close();
  }
}
