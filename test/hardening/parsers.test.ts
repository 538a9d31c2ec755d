// Parsers never crash, never go quadratic. Before: a 10,000-level nested EDN value and a
// 100,000-level nested JSON value ended in "RangeError: Maximum call stack size exceeded" with a
// stack trace, aborting every other file of the run; edn-data took 47 s over one 150,000-digit
// number. Now each is a clear error for its own file and line, and the other files are checked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'tenrec-parsers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const ok = file('ok.jsonl', '{"process":0,"type":"invoke","f":"write","key":"x","value":1,"time":1}\n{"process":0,"type":"ok","f":"write","key":"x","value":1,"time":2}\n');

describe('hostile histories', () => {
  it('deep nesting and huge atoms are per-file errors with the line; the other files are still checked', { timeout: 60_000 }, async () => {
    const deepJson = file('deep.jsonl', `${'{"process":0,"type":"invoke","f":"write","key":"x","time":1,"value":'}${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);
    const deepEdn = file('deep.edn', `{:process 0, :type :invoke, :f :write, :value ${'['.repeat(10_000)}${']'.repeat(10_000)}}\n`);
    const longAtom = file('atom.edn', `{:process 0, :type :invoke, :f :write, :value ${'7'.repeat(150_000)}}\n`);
    const r = await execa(join(ROOT, 'bin/tenrec.js'), ['check', '--json', deepJson, ok, deepEdn, longAtom], { reject: false, cwd: ROOT });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).not.toMatch(/RangeError|\n\s+at /);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; valid?: boolean; error?: string });
    expect(lines.map((l) => l.file)).toEqual([deepJson, ok, deepEdn, longAtom]);
    expect(lines[0]!.error).toMatch(/deep\.jsonl:1: .*nested deeper than 1000 levels/);
    expect(lines[1]!.valid).toBe(true);
    expect(lines[2]!.error).toMatch(/deep\.edn:1: .*nested deeper than 1000 levels/);
    expect(lines[3]!.error).toMatch(/atom\.edn:1: an atom longer than 10000 characters/);
  });
});
