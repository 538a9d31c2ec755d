// A problem with a history file's content. Every parser and validator throws this (never a bare
// Error) so callers such as the CLI can print "file:line: what is wrong" without a stack trace.

export class HistoryError extends Error {
  /** The file the history came from, when known. */
  readonly file: string | undefined;
  /** 1-based line of the offending text, when known. */
  readonly line: number | undefined;
  /** The problem alone, without the file:line prefix. */
  readonly detail: string;

  constructor(detail: string, where: { file?: string; line?: number } = {}) {
    super(`${locate(where.file, where.line)}: ${detail}`);
    this.name = 'HistoryError';
    this.file = where.file;
    this.line = where.line;
    this.detail = detail;
  }
}

function locate(file: string | undefined, line: number | undefined): string {
  const name = file ?? '<input>';
  return line === undefined ? name : `${name}:${line}`;
}
