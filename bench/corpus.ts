// Loads the Porcupine corpus (test/corpus/porcupine) through our own parsers, with the
// verdicts SOURCE.md lists, for the benchmark and for quick runs while tuning.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseHistory } from '../checker/history/parse.ts';
import { toOperations } from '../checker/history/operations.ts';
import type { Operation } from '../checker/types.ts';

export const CORPUS = new URL('../test/corpus/porcupine/', import.meta.url).pathname;

export interface CorpusFile {
  name: string;
  ops: Operation[];
  expected: boolean;
}

function expectations(): Map<string, boolean> {
  const m = new Map<string, boolean>();
  for (const line of readFileSync(join(CORPUS, 'SOURCE.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || !/\.(log|txt)$/.test(cells[1])) continue;
    if (cells[4].startsWith('NOT linearizable')) m.set(cells[1], false);
    else if (cells[4].startsWith('linearizable')) m.set(cells[1], true);
  }
  return m;
}

export function loadCorpus(dir: 'jepsen' | 'kv', only?: (name: string) => boolean): CorpusFile[] {
  const exp = expectations();
  const out: CorpusFile[] = [];
  for (const f of readdirSync(join(CORPUS, dir)).sort()) {
    const name = `${dir}/${f}`;
    const expected = exp.get(name);
    if (expected === undefined || (only && !only(name))) continue;
    const text = readFileSync(join(CORPUS, name), 'utf8');
    const format = dir === 'jepsen' ? 'jepsen-log' : 'porcupine-kv';
    const model = dir === 'jepsen' ? 'cas-register' : 'kv';
    const ops = toOperations(parseHistory(text, { format, file: name }), { file: name, model });
    out.push({ name, ops, expected });
  }
  return out;
}
