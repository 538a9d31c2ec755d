// `tenrec show X`: X is a run directory, a file inside one, a history file, or a run in the index
// (its id, its directory, or its timestamp).
import fs from 'node:fs';
import path from 'node:path';
import { getRun, INDEX_FILE } from '../store/index-db.ts';
import { UserError } from '../errors/user-error.ts';
import { isRunDir } from './load-run.ts';

export type ShowTarget = { kind: 'run'; dir: string } | { kind: 'file'; file: string };

export async function resolveShowTarget(arg: string, resultsDir: string): Promise<ShowTarget> {
  if (fs.existsSync(arg)) {
    const stat = fs.statSync(arg);
    if (stat.isDirectory()) {
      if (isRunDir(arg)) return { kind: 'run', dir: path.resolve(arg) };
      throw new UserError(`${arg}: not a run directory (no history.jsonl and results.json in it)`);
    }
    const parent = path.dirname(arg);
    if (['history.jsonl', 'results.json', 'test.json', 'report.html'].includes(path.basename(arg)) && isRunDir(parent)) {
      return { kind: 'run', dir: path.resolve(parent) };
    }
    return { kind: 'file', file: arg };
  }
  if (fs.existsSync(path.join(resultsDir, INDEX_FILE))) {
    const row = await getRun(resultsDir, arg);
    if (row) {
      if (!isRunDir(row.dir)) throw new UserError(`run ${arg} is in the index but its directory ${row.dir} is gone or incomplete`);
      return { kind: 'run', dir: row.dir };
    }
  }
  throw new UserError(`${arg}: no such file or directory, and no run with that id or directory in ${path.join(resultsDir, INDEX_FILE)}`);
}
