// One file through the whole pipeline: read, parse, pair and validate, check. Every input problem
// becomes a message naming the file (and line), never an exception, so one bad file among many
// does not stop the others.
import type { CheckResult, HistoryEvent, Operation } from '../../../checker/types.ts';
import { defaultInitialFor, HistoryError } from '../../../checker/history/parse.ts';
import { readHistoryFile } from '../../../checker/history/read-file.ts';
import type { HistoryFormat } from '../../../checker/history/parse.ts';
import { toOperations } from '../../../checker/history/operations.ts';
import { inferModelName } from '../../../checker/history/model-families.ts';
import { getModel, ModelInputError, parseInitialText } from '../../../checker/models/index.ts';
import { check } from '../../../checker/check.ts';

export interface CheckFileOptions {
  format: 'auto' | HistoryFormat;
  /** Model name; inferred from the history's ops when absent. */
  model?: string;
  /** `--initial` as typed: JSON, or a bare string. */
  initial?: string;
  timeoutMs?: number;
  memoryMb?: number;
  workers?: number;
  /** false: check the whole history as one state instead of key by key. */
  partition?: boolean;
  /** Keep what the HTML report's partial-linearization view needs (with --html). */
  partials?: boolean;
  /** Accept a history with no client operation (trivially linearizable) instead of an error. */
  allowEmpty?: boolean;
}

export interface CheckedFile {
  file: string;
  format: HistoryFormat;
  events: HistoryEvent[];
  ops: Operation[];
  result: CheckResult;
}

export interface FailedFile {
  file: string;
  /** "file:line: what is wrong". */
  error: string;
  /** The offending line, when known. */
  line?: number;
}

export type FileOutcome = CheckedFile | FailedFile;

export function isFailed(o: FileOutcome): o is FailedFile {
  return 'error' in o;
}

export async function checkFile(file: string, opts: CheckFileOptions): Promise<FileOutcome> {
  try {
    // Read a piece at a time: a file of any size, without holding its text (read-file.ts).
    const { events, format } = await readHistoryFile(file, { format: opts.format });
    const model = opts.model ?? inferModelName(events);
    const ops = toOperations(events, { file, model });
    // An empty history proves nothing; most often it is the wrong file or a run that never started.
    if (!opts.allowEmpty && !events.some((e) => e.process !== 'nemesis' && e.type === 'invoke')) {
      return { file, error: `no operations in ${file} (no client invoke in it); --allow-empty accepts it as trivially linearizable` };
    }
    const initial = opts.initial !== undefined ? { value: parseInitialText(opts.initial) } : defaultInitialFor(format);
    if (initial) {
      try {
        getModel(model).initialFrom(initial.value);
      } catch (err) {
        return { file, error: `${file}: --initial ${opts.initial ?? JSON.stringify(initial.value)}: ${(err as Error).message}` };
      }
    }
    const result = await check(ops, {
      model,
      ...(initial ? { initial: initial.value } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.memoryMb !== undefined ? { memoryMb: opts.memoryMb } : {}),
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      ...(opts.partition === false ? { partition: false } : {}),
      ...(opts.partials ? { partials: true } : {}),
    });
    return { file, format, events, ops, result };
  } catch (err) {
    if (err instanceof HistoryError) return err.line === undefined ? { file, error: err.message } : { file, error: err.message, line: err.line };
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return { file, error: `${file}: cannot read: ${code}` };
    if (err instanceof ModelInputError) {
      const line = err.op.source?.line;
      const error = `${file}${line === undefined ? '' : `:${line}`}: ${err.message}`;
      return line === undefined ? { file, error } : { file, error, line };
    }
    throw err;
  }
}
