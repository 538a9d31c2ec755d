// Porcupine's test histories must get the verdicts Porcupine's own tests assert. The expectations
// are read from SOURCE.md's table at test time; the verdicts come from the checker.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.ts';
import { parseHistory } from '../../checker/history/parse.ts';
import { toOperations } from '../../checker/history/operations.ts';

// Porcupine's corpus, kept in the repository so a clean clone tests alone.
const CORPUS = resolve(import.meta.dirname, '../corpus/porcupine');
// A limit far above what any of these needs, so a regression fails as 'unknown' instead of hanging.
const TIMEOUT_MS = 30_000;

interface Row {
  file: string;
  expected: 'linearizable' | 'NOT linearizable' | 'none';
  unpartitioned: boolean;
}

function readTable(): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(join(CORPUS, 'SOURCE.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || !/^(jepsen|kv)\//.test(cells[1]!)) continue;
    const verdict = cells[4]!;
    rows.push({
      file: cells[1]!,
      expected: verdict.startsWith('NOT linearizable') ? 'NOT linearizable' : verdict.startsWith('linearizable') ? 'linearizable' : 'none',
      unpartitioned: verdict.includes('no-partition'),
    });
  }
  return rows;
}

async function verdict(file: string, model: string, opts: { initial?: unknown; partition?: boolean }) {
  const events = parseHistory(readFileSync(join(CORPUS, file), 'utf8'), { file });
  const ops = toOperations(events, { file, model });
  const result = await check(ops, { model, timeoutMs: TIMEOUT_MS, ...opts });
  return result.valid === true ? 'linearizable' : result.valid === false ? 'NOT linearizable' : `unknown (${result.reason})`;
}

const rows = readTable();
const etcd = rows.filter((r) => r.file.startsWith('jepsen/'));
const kv = rows.filter((r) => r.file.startsWith('kv/'));

describe('Porcupine corpus', () => {
  it('SOURCE.md lists 103 etcd logs (one untested) and 6 kv files', () => {
    expect(etcd).toHaveLength(103);
    expect(etcd.filter((r) => r.expected === 'none').map((r) => r.file)).toEqual(['jepsen/etcd_095.log']);
    expect(kv).toHaveLength(6);
    expect(kv.filter((r) => r.unpartitioned).map((r) => r.file)).toEqual(['kv/c01-ok.txt', 'kv/c01-bad.txt', 'kv/c10-ok.txt', 'kv/c10-bad.txt']);
  });

  it('reads the empty etcd_095 as a history with no events', () => {
    expect(parseHistory(readFileSync(join(CORPUS, 'jepsen/etcd_095.log'), 'utf8'))).toEqual([]);
  });

  // Jepsen's etcd register starts at nil.
  it.each(etcd.filter((r) => r.expected !== 'none'))('$file (cas-register from null) is $expected', async ({ file, expected }) => {
    expect(await verdict(file, 'cas-register', { initial: null })).toBe(expected);
  });

  it.each(kv)('$file (kv, partitioned by key) is $expected', async ({ file, expected }) => {
    expect(await verdict(file, 'kv', {})).toBe(expected);
  }, TIMEOUT_MS + 10_000);

  it.each(kv.filter((r) => r.unpartitioned))('$file (kv, one state for all keys) is $expected', async ({ file, expected }) => {
    expect(await verdict(file, 'kv', { partition: false })).toBe(expected);
  }, TIMEOUT_MS + 10_000);
});
