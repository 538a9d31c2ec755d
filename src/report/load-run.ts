// Reads what `show` (and `serve`) need from a run directory or a bare history file.
import fs from 'node:fs';
import path from 'node:path';
import type { CheckResult, HistoryEvent, Operation } from '../../checker/types.ts';
import { HistoryError, defaultInitialFor } from '../../checker/history/parse.ts';
import { readHistoryFile } from '../../checker/history/read-file.ts';
import type { HistoryFormat } from '../../checker/history/parse.ts';
import { toOperations } from '../../checker/history/operations.ts';
import { check } from '../../checker/check.ts';
import { UserError } from '../errors/user-error.ts';

export interface LoadedRun {
  kind: 'run' | 'file';
  /** The run directory, or the history file. */
  path: string;
  history: HistoryEvent[];
  result: CheckResult;
  /** The checker's operations, when this process checked the history itself. */
  operations?: Operation[];
  /** test.json of a run. */
  test?: Record<string, unknown>;
  /** results.json of a run (counts, durationMs, anomalyText …). */
  results?: Record<string, unknown>;
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new UserError(`${file}:1: not a JSON object (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** A history read a piece at a time (any size), with problems as UserErrors naming file and line. */
async function parseFile(file: string, format?: HistoryFormat): Promise<{ events: HistoryEvent[]; format: HistoryFormat }> {
  try {
    return await readHistoryFile(file, format ? { format } : {});
  } catch (err) {
    if (err instanceof HistoryError) throw new UserError(err.message);
    throw new UserError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** True when `dir` looks like a run directory (results.json beside history.jsonl). */
export function isRunDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'history.jsonl')) && fs.existsSync(path.join(dir, 'results.json'));
}

export async function loadRunDir(dir: string): Promise<LoadedRun> {
  const results = readJson(path.join(dir, 'results.json'));
  const testFile = path.join(dir, 'test.json');
  const test = fs.existsSync(testFile) ? readJson(testFile) : undefined;
  const history = (await parseFile(path.join(dir, 'history.jsonl'), 'jsonl')).events;
  const stored = results.result as CheckResult | undefined;
  const valid = results.valid as CheckResult['valid'];
  // Older or hand-made results.json may hold only the verdict: keep what is there.
  const result: CheckResult = stored && typeof stored === 'object' && Array.isArray(stored.parts)
    ? stored
    : { valid: valid === true || valid === false ? valid : 'unknown', model: String(results.model ?? '?'), ops: 0, partitions: 0, ms: 0, parts: [] };
  return { kind: 'run', path: dir, history, result, results, ...(test ? { test } : {}) };
}

/** Parses and checks a history file (any supported format). */
export async function loadHistoryFile(file: string, opts: { model?: string; timeoutMs?: number } = {}): Promise<LoadedRun> {
  const { events: history, format } = await parseFile(file);
  try {
    const operations = toOperations(history, { file, ...(opts.model ? { model: opts.model } : {}) });
    const initial = defaultInitialFor(format);
    const result = await check(operations, {
      ...(opts.model ? { model: opts.model } : {}),
      ...(initial ? { initial: initial.value } : {}),
      timeoutMs: opts.timeoutMs ?? 60_000,
      partials: true,
    });
    return { kind: 'file', path: file, history, result, operations };
  } catch (err) {
    if (err instanceof HistoryError) throw new UserError(err.message);
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: cannot check (${err instanceof Error ? err.message : String(err)})`);
  }
}
