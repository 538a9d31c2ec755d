// The per-node event log: one line per notable event (start, role change, election, link
// up/down, errors), never one per request, so it stays readable after a long test. Lines are
// appended synchronously: the last line before a crash is the one worth having.
import { appendFileSync } from 'node:fs';

export type NodeLog = (line: string) => void;

export function fileNodeLog(path: string, id: string): NodeLog {
  return (line) => {
    appendFileSync(path, `${new Date().toISOString()} ${id} ${line}\n`);
  };
}
