// What a new user meets in the first minutes: words for wrong numbers, a missing argument named,
// unknown commands answered with the list, every error said once, empty histories refused, and
// a time limit too short for the faults asked refused before any cluster starts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'tenrec-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tenrec = (...args: string[]) => execa(join(ROOT, 'bin/tenrec.js'), args, { cwd: dir, reject: false, timeout: 60_000, env: { NO_COLOR: '1' } });
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at /);
const countOf = (text: string, part: string) => text.split(part).length - 1;

describe('first contact', () => {
  it('a number flag given words quotes them', async () => {
    const [a, b, c] = await Promise.all([
      tenrec('test', '--nodes', 'abc'),
      tenrec('test', '--time-limit=soon'),
      tenrec('check', '--timeout', 'x', 'h.jsonl'),
    ]);
    expect(a.exitCode).toBe(3);
    expect(a.stderr).toContain('--nodes must be a number, got "abc"');
    expect(a.stderr).not.toContain('NaN');
    expect(b.stderr).toContain('--time-limit must be a number, got "soon"');
    expect(c.stderr).toContain('--timeout must be a number, got "x"');
    for (const r of [a, b, c]) noStack(r.stderr);
  });

  it('check with no file names what is missing', async () => {
    const r = await tenrec('check');
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('give at least one history file');
    expect(countOf(r.stderr + r.stdout, 'give at least one history file')).toBe(1);
  });

  it('an unknown command lists the commands', async () => {
    const r = await tenrec('frob');
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/unknown command "frob"; the commands are check, test, campaign, show, runs, serve, merge, cluster, node, sim, hosts/);
  });

  it('an empty history, or one with only nemesis events, is an error unless --allow-empty; said once', async () => {
    const empty = join(dir, 'empty.jsonl');
    const nemesisOnly = join(dir, 'nemesis.jsonl');
    writeFileSync(empty, '');
    writeFileSync(nemesisOnly, '{"process":"nemesis","type":"info","f":"start-kill","value":["n1"],"time":1}\n');
    const [a, b, c] = await Promise.all([tenrec('check', empty), tenrec('check', nemesisOnly), tenrec('check', '--allow-empty', empty)]);
    expect(a.exitCode).toBe(3);
    expect(a.stdout).toContain(`no operations in ${empty}`);
    expect(countOf(a.stdout + a.stderr, 'no operations in')).toBe(1);
    expect(b.exitCode).toBe(3);
    expect(b.stdout).toContain(`no operations in ${nemesisOnly}`);
    expect(c.exitCode).toBe(0);
    expect(c.stdout).toContain('linearizable');
  });

  it('a time limit too short for every requested fault kind is refused before any cluster starts', async () => {
    const results = join(dir, 'results');
    const r = await tenrec('test', '--time-limit', '4', '--nemesis', 'kill,pause,partition', '--results-dir', results);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('--time-limit 4 is too short for --nemesis kill,pause,partition');
    expect(r.stderr).toContain('--time-limit 8.5 or more');
    noStack(r.stderr);
  });
});
