import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { escapeXml, junitXml } from '../../src/ci/junit.ts';
import type { JUnitCase } from '../../src/ci/junit.ts';

const cases: JUnitCase[] = [
  { name: 'results/a/1', classname: 'tenrec.test', seconds: 1.5, verdict: true },
  { name: 'results/a/2', classname: 'tenrec.test', seconds: 2, verdict: false, message: 'read of x returned 1 <stale> & "old"', details: 'rerun: tenrec test --seed 7\u0001' },
  { name: 'h.jsonl', classname: 'tenrec.check', seconds: 0.25, verdict: 'unknown', message: 'timeout' },
  { name: 'results/a/3', classname: 'tenrec.test', seconds: 0, verdict: 'error', message: 'cluster failed to start' },
];

/** Well-formedness, checked by Python's XML parser (python3 is already required: npm builds sqlite3 with it). */
function parse(xml: string): { suite: Record<string, string>; cases: { name: string; child: string | null }[] } {
  const out = execFileSync('python3', ['-c', `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
suite = root.find('testsuite')
print(json.dumps({"suite": dict(suite.attrib), "cases": [{"name": c.get("name"), "child": (c[0].tag + ":" + (c[0].get("message") or "")) if len(c) else None} for c in suite]}))
`], { input: xml });
  return JSON.parse(out.toString());
}

describe('junitXml', () => {
  it('writes one well-formed test case per run, failures for invalid and (by default) unknown', () => {
    const doc = parse(junitXml('tenrec <campaign>', cases, 'fail'));
    expect(doc.suite).toMatchObject({ name: 'tenrec <campaign>', tests: '4', failures: '2', errors: '1', skipped: '0', time: '3.750' });
    expect(doc.cases).toEqual([
      { name: 'results/a/1', child: null },
      { name: 'results/a/2', child: 'failure:read of x returned 1 <stale> & "old"' },
      { name: 'h.jsonl', child: 'failure:timeout' },
      { name: 'results/a/3', child: 'error:cluster failed to start' },
    ]);
  });

  it('skips unknown cases under --unknown pass', () => {
    const doc = parse(junitXml('s', cases, 'pass'));
    expect(doc.suite).toMatchObject({ failures: '1', skipped: '1' });
    expect(doc.cases[2]!.child).toBe('skipped:timeout (passed by --unknown pass)');
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a b="c">'&'\u0000</a>`)).toBe('&lt;a b=&quot;c&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('writeCheckJUnit', () => {
  it('writes one case per file, an error case for a file that did not parse, with the anomaly in words', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { writeCheckJUnit } = await import('../../src/ci/gate-flags.ts');
    const { lostWrite } = await import('../report/fixtures/lost-write.ts');
    const { check } = await import('../../checker/check.ts');
    const { operations, history } = lostWrite();
    const result = await check(operations, { model: 'register' });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-junit-')), 'sub', 'junit.xml');
    writeCheckJUnit(out, [{ file: 'lost-write.jsonl', result, ops: operations, events: history }, { file: 'bad.jsonl', error: 'bad.jsonl:3: not JSON' }], undefined);
    const doc = parse(fs.readFileSync(out, 'utf8'));
    expect(doc.suite).toMatchObject({ tests: '2', failures: '1', errors: '1' });
    expect(doc.cases[0]!.child).toMatch(/^failure:stale read: read x → /);
    expect(fs.readFileSync(out, 'utf8')).toContain('NOT LINEARIZABLE (key x)');
    expect(doc.cases[1]).toEqual({ name: 'bad.jsonl', child: 'error:bad.jsonl:3: not JSON' });
    fs.rmSync(path.dirname(path.dirname(out)), { recursive: true, force: true });
  });
});
