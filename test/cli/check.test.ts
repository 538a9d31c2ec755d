// `tenrec check` as a user runs it: a real process, real files, exit codes and output.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(ROOT, 'test/corpus/porcupine');
const dir = mkdtempSync(join(tmpdir(), 'tenrec-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tenrec(...args: string[]) {
  return execa(join(ROOT, 'bin/tenrec.js'), ['check', ...args], { cwd: ROOT, reject: false, timeout: 60_000, env: { NO_COLOR: '1' } });
}

type Line = [process: number, type: string, f: string, value: unknown];

function history(name: string, lines: Line[] | string): string {
  const path = join(dir, name);
  const text = typeof lines === 'string' ? lines : lines.map(([process, type, f, value], i) => JSON.stringify({ process, type, f, key: 'x', value, time: (i + 1) * 1000 })).join('\n') + '\n';
  writeFileSync(path, text);
  return path;
}

// X = X + 1 twice across a leader crash, then a read: the spec's example.
const GOOD = history('good.jsonl', [
  [0, 'invoke', 'inc', 1],
  [0, 'ok', 'inc', 1],
  [1, 'invoke', 'inc', 1],
  [1, 'ok', 'inc', 2],
  [0, 'invoke', 'read', null],
  [0, 'ok', 'read', 2],
]);
// The same with a lost write: the read sees 1 after the second increment completed.
const LOST = history('lost.jsonl', [
  [0, 'invoke', 'inc', 1],
  [0, 'ok', 'inc', 1],
  [1, 'invoke', 'inc', 1],
  [1, 'ok', 'inc', 2],
  [0, 'invoke', 'read', null],
  [0, 'ok', 'read', 1],
]);

function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/internal error/);
}

const INITIAL = history('initial.jsonl', [
  [0, 'invoke', 'read', null],
  [0, 'ok', 'read', 'start'],
]);

// Each case is one process start (slow on a busy machine), so cases share runs where they can.
describe('tenrec check', () => {
  it('exits 0 on a linearizable history and says so', async () => {
    const r = await tenrec(GOOD);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/good\.jsonl: linearizable \(counter, 3 ops, 1 partition, /);
  });

  it('exits 1 on a lost write, shows the read that cannot be placed with its line, and --html writes the report', async () => {
    const out = join(dir, 'lost.html');
    const r = await tenrec('--html', out, LOST);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/lost\.jsonl: NOT linearizable/);
    expect(r.stdout).toMatch(/read x → 1 +\(line 5\)/);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('lost.jsonl');
    // --html asks the checker for the partial linearizations its click-to-list view shows.
    const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(Object.keys(data.anomaly.partials ?? {}).length).toBeGreaterThan(0);
  });

  it('--json prints one object per file, in order, and the worst verdict decides the exit code', async () => {
    const etcd = join(CORPUS, 'jepsen/etcd_002.log');
    const r = await tenrec('--json', GOOD, LOST, etcd, INITIAL);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.file, l.format, l.valid, l.model, l.ops, l.partitions])).toEqual([
      [GOOD, 'jsonl', true, 'counter', 3, 1],
      [LOST, 'jsonl', false, 'counter', 3, 1],
      [etcd, 'jepsen-log', true, 'cas-register', 77, 1],
      [INITIAL, 'jsonl', false, 'register', 1, 1],
    ]);
    for (const l of lines) expect(typeof l.ms === 'number' && l.ms >= 0).toBe(true);
    const lost = lines[1] as { key: unknown; anomaly: { op: { f: string; output: unknown; line: number }; involved: unknown[]; prefix: number[]; state: string } };
    expect(lost.key).toBe('x');
    expect(lost.anomaly.op).toMatchObject({ f: 'read', output: 1, line: 5 });
    expect(lost.anomaly.involved).toContainEqual(lost.anomaly.op);
    expect(lost.anomaly.prefix).toEqual([0, 1]);
    expect(lost.anomaly.state).toBe('2');
  });

  it('--initial sets where every key starts', async () => {
    const r = await tenrec('--initial', '"start"', INITIAL);
    expect(r.exitCode).toBe(0);
  });

  it('exits 2 when the time limit runs out first, with the reason', async () => {
    // c50-ok as one state: valid and far too hard for 50 ms (c10-bad was, until the stale-read proof).
    const r = await tenrec('--json', '--no-partition', '--timeout', '0.05', join(CORPUS, 'kv/c50-ok.txt'));
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: 'unknown', reason: 'timeout', model: expect.stringContaining('kv') });
  });

  it('exits 2 when the memory cap is reached first, with the reason', async () => {
    const r = await tenrec('--json', '--no-partition', '--memory', '0.01', join(CORPUS, 'kv/c50-ok.txt'));
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: 'unknown', reason: 'memory' });
  });

  it('exits 3 on malformed files, naming file and line without a stack trace, and still checks the others', async () => {
    const bad = history('bad.jsonl', '{"process":0,"type":"invoke","f":"read","value":null,"time":1}\n{"process":0,"type":"ok","f":"read","value":0,"time":2}\n{"process":0,"type":"ok",\n');
    const orphan = history('orphan.jsonl', [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'ok', 'read', 1],
    ]);
    const unknownF = history('unknown-f.edn', '{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok, :f :read, :value 1}\n{:process 1, :type :invoke, :f :frob, :value 1}\n');
    const missing = join(dir, 'nope.jsonl');
    const r = await tenrec('--json', bad, orphan, GOOD, unknownF, missing);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`${bad}:3: bad JSON`);
    expect(r.stderr).toContain(`${orphan}:3: ok completion of read by process 1 with no invoke`);
    expect(r.stderr).toContain(`${unknownF}:3: unknown f "frob" for the register model`);
    expect(r.stderr).toContain(`${missing}: cannot read: ENOENT`);
    expectNoStack(r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ file: bad, line: 3, error: expect.stringContaining(`${bad}:3:`) });
    expect(lines[4]).toEqual({ file: missing, error: expect.stringContaining('ENOENT') });
    expect(lines.map((l) => l.valid)).toEqual([undefined, undefined, true, undefined, undefined]);
  });

  it('exits 3 on an unknown model, without a stack trace', async () => {
    const r = await tenrec('--model', 'queue', GOOD);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/unknown model "queue"/);
    expectNoStack(r.stderr);
  });
});
