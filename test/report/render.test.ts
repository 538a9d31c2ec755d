import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/render.ts';
import { lostWrite } from './fixtures/lost-write.ts';
import { syntheticHistory } from './fixtures/synthetic.ts';

function payloadOf(html: string): any {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]!);
}

describe('renderReport', () => {
  const { history, operations, result } = lostWrite();
  const html = renderReport({ history, result, test: { concurrency: 2, note: '<b>x</b>' }, title: 'run <1>' });

  it('puts the verdict first', () => {
    expect(html.indexOf('id="verdict"')).toBeGreaterThan(0);
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toContain('>INVALID<');
  });

  it('never lets a history value or setting open a tag', () => {
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.__xss=1');
    expect(html).toContain('<title>run &lt;1&gt;</title>');
    // Exactly two script elements: the JSON data and the page's own code.
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it("allows only its own script by hash in the Content-Security-Policy", () => {
    const code = /<script>([\s\S]*?)<\/script>\n<\/body>/.exec(html)![1]!;
    const hash = createHash('sha256').update(code, 'utf8').digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
  });

  it('maps the anomaly onto report ops through the checker operations (fail ops included)', () => {
    const p = payloadOf(html);
    // Report ops: 0 p0 write, 1 p2 read, 2 p1 write 2, 3 p2 write 3 (fail), 4 p0 read, 5 p1 read.
    expect(p.anomaly).toEqual({ op: 4, prefix: [0, 1, 2], concurrent: [5], partials: { 0: [0], 1: [0, 1], 2: [0, 1, 2], 5: [0, 1, 2, 5] } });
    expect(p.ops[4].o).toContain('</script>');
    expect(html).toContain('class="op-link jump" data-op="4"');
    // Same answer when the caller passes the operations itself.
    expect(payloadOf(renderReport({ history, result, operations })).anomaly.op).toBe(4);
  });

  it('groups processes under their client (process mod concurrency)', () => {
    expect(payloadOf(html).lanes).toEqual([
      { client: 0, process: 0 },
      { client: 0, process: 2 },
      { client: 1, process: 1 },
    ]);
  });

  it('shows the expected and seen states and the fault band', () => {
    expect(html).toMatch(/Expected \(state after the prefix\)<\/th><td><code>2<\/code>/);
    const p = payloadOf(html);
    expect(p.bands).toEqual([{ kind: 'kill', target: 'n1', start: 1.5, end: 3 }]);
  });

  it('renders a valid run without an anomaly section', () => {
    const h = syntheticHistory({ ops: 200, concurrency: 3 });
    const out = renderReport({ history: h, result: { valid: true, model: 'register', ops: 200, partitions: 1, ms: 3, parts: [] } });
    expect(out).toContain('>VALID<');
    expect(out).not.toContain('id="anomaly"');
    expect(payloadOf(out).ops).toHaveLength(200);
  });
});

describe('renderReport, a stale read proven without a search', () => {
  // The same stale read, as the checker reports it when it proves it directly and finds no
  // order of the ops before it: no prefix, no expected state, the write it rests on named.
  const { history, operations, result } = lostWrite();
  const { partialLinearizations: _none, ...anomaly } = result.anomaly!;
  const proven: typeof result = { ...result, anomaly: { ...anomaly, proof: 'stale', after: 2, prefix: [], state: '', concurrent: [] } };
  const html = renderReport({ history, result: proven, operations });

  it('names the op the proof rests on, links it, and shows it in the close-up instead of a prefix', () => {
    expect(html).toMatch(/<tr><th>Proven stale by<\/th><td>#3 write x := 2 /);
    // Report op 2 is checker op 2 (p1 write 2); the close-up draws it.
    expect(html).toContain('class="op-link jump" data-op="2"');
    expect(html).toMatch(/<g class="cu-op prefix ok" data-op="2">/);
    expect(html).not.toContain('Expected (state after the prefix)');
    expect(html).toContain('Order of the ops completed before it</th><td>0 ops (none needed: see the proof)');
    expect(payloadOf(html).anomaly).toEqual({ op: 4, prefix: [], concurrent: [] });
  });
});
