// Asserts that parsing fails with a HistoryError that names the file and line.
import { expect } from 'vitest';
import { HistoryError } from '../../../checker/history/parse.ts';

export function expectHistoryError(run: () => unknown, file: string, line: number, detail: RegExp): HistoryError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a HistoryError').toBeInstanceOf(HistoryError);
  const err = caught as HistoryError;
  expect(err.file).toBe(file);
  expect(err.line).toBe(line);
  expect(err.message.startsWith(`${file}:${line}: `)).toBe(true);
  expect(err.detail).toMatch(detail);
  return err;
}
