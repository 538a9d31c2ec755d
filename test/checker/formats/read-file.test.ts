// Reading a file in pieces gives exactly what reading it whole gives: same events, same lines,
// whatever the piece size, for every format (a piece never cuts through a line or an EDN form).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistoryFile } from '../../../checker/history/read-file.ts';
import { linesOf, parseHistoryDetected } from '../../../checker/history/parse.ts';

const CORPUS = resolve(import.meta.dirname, '../../corpus/porcupine');
const dir = mkdtempSync(join(tmpdir(), 'tenrec-readfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function same(path: string, pieceChars: number) {
  const whole = parseHistoryDetected(readFileSync(path, 'utf8'), { file: path });
  const pieces = await readHistoryFile(path, { pieceChars });
  expect(pieces.format).toBe(whole.format);
  expect(pieces.events).toEqual(whole.events);
  expect(linesOf(pieces.events)).toEqual(linesOf(whole.events));
  return pieces.events.length;
}

describe('readHistoryFile', () => {
  it('matches the whole-text parse on the corpus at several piece sizes', async () => {
    const files = [
      ...readdirSync(join(CORPUS, 'jepsen')).filter((f) => f.endsWith('.log')).slice(0, 12).map((f) => join(CORPUS, 'jepsen', f)),
      join(CORPUS, 'kv', 'c01-ok.txt'), join(CORPUS, 'kv', 'c10-bad.txt'),
    ];
    let events = 0;
    for (const f of files) for (const size of [64, 1000, 1 << 20]) events += await same(f, size);
    expect(events).toBeGreaterThan(8_000);
  });

  it('cuts an EDN vector only between whole ops: multi-line maps, strings with brackets and newlines, tags, comments', async () => {
    const ops: string[] = [];
    for (let i = 0; i < 200; i++) {
      ops.push(`{:process ${i % 5}, :type :invoke, :f :write, :value ${i}}`);
      ops.push(`{:process ${i % 5},\n :type :ok, ; a comment with ] and {\n :f :write, :value ${i}, :note "a ] string\n{ with [ newlines", :at #inst "2020-01-01T00:00:00Z"}`);
    }
    const vector = join(dir, 'vector.edn');
    writeFileSync(vector, `;; a header comment\n[${ops.join('\n ')}]\n`);
    const perLine = join(dir, 'per-line.edn');
    writeFileSync(perLine, ops.join('\n') + '\n');
    for (const f of [vector, perLine]) for (const size of [1, 37, 500, 1 << 20]) expect(await same(f, size)).toBe(400);
  });

  it('JSONL pieces keep line numbers across cuts, and errors name the right line', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ process: 0, type: i % 2 ? 'ok' : 'invoke', f: 'write', key: 'x', value: i >> 1, time: i }));
    lines.splice(250, 0, '', '   ');
    const f = join(dir, 'h.jsonl');
    writeFileSync(f, '\ufeff' + lines.join('\n'));
    for (const size of [10, 333, 1 << 20]) expect(await same(f, size)).toBe(300);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, [...lines.slice(0, 200), '{"process":0,', ...lines.slice(200)].join('\n'));
    await expect(readHistoryFile(bad, { pieceChars: 100 })).rejects.toThrow(/bad\.jsonl:201: bad JSON/);
  });
});
