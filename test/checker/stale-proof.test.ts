// A stale read proven without a search: the rule on histories written here, and the checker
// using it on a key neither its search nor Porcupine's decides in seconds.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSync } from '../../checker/check.ts';
import { formatAnomaly } from '../../checker/evidence/format.ts';
import { parseHistory } from '../../checker/history/parse.ts';
import { toOperations } from '../../checker/history/operations.ts';
import { getModel } from '../../checker/models/index.ts';
import { compileProblem } from '../../checker/search/problem.ts';
import { findStaleProof } from '../../checker/search/stale-proof.ts';
import type { Operation } from '../../checker/types.ts';
import { ops, type OpSpec } from './helpers.ts';

const kv = getModel('kv');
/** The proof, as op ids (the search numbers ops its own way). */
function prove(h: Operation[], model = kv): { observer: number; writer: number } | undefined {
  const p = compileProblem(model, h, model.initial);
  const r = findStaleProof(p);
  return r && { observer: p.ops[r.observer]!.id, writer: p.ops[r.writer]!.id };
}

describe('the stale-read proof (kv)', () => {
  const append: OpSpec = { p: 0, f: 'append', key: 'k', in: 'a', out: 'a', t: [10, 20] };
  const staleGet: OpSpec = { p: 1, f: 'get', key: 'k', out: '', t: [30, 40] };

  it('an append that returned before a get began, missing from what the get saw, proves it stale', () => {
    expect(prove(ops([append, staleGet]))).toEqual({ observer: 1, writer: 0 });
  });

  it('a put that may fall between the two (it could undo the append) leaves no proof', () => {
    // Returned at or after the append began and was invoked before the get returned: either end fits.
    for (const t of [[15, 35], [5, 10], [40, 50], [25, undefined]] as [number, number?][]) {
      expect(prove(ops([append, staleGet, { p: 2, f: 'put', key: 'k', in: '', out: '', t }])), `put at ${t}`).toBeUndefined();
    }
  });

  it('a put that cannot fall between them does not save the get: returned before the append began, or invoked after the get returned', () => {
    for (const t of [[1, 9], [41, 50]] as [number, number][]) {
      expect(prove(ops([append, staleGet, { p: 2, f: 'put', key: 'k', in: '', out: '', t }])), `put at ${t}`).toEqual({ observer: 1, writer: 0 });
    }
  });

  it('no proof for ops that overlap, for a get that contains the append, or for a crashed append', () => {
    expect(prove(ops([append, { ...staleGet, t: [20, 40] }]))).toBeUndefined();
    expect(prove(ops([append, { ...staleGet, out: 'xa' }]))).toBeUndefined();
    expect(prove(ops([{ ...append, t: [10] }, staleGet]))).toBeUndefined();
  });

  it('after a put, a get whose value does not start with it is doomed until another put', () => {
    const put: OpSpec = { p: 0, f: 'put', key: 'k', in: 'xy', out: 'xy', t: [10, 20] };
    expect(prove(ops([put, { ...staleGet, out: 'yxy' }]))).toEqual({ observer: 1, writer: 0 });
    expect(prove(ops([put, { ...staleGet, out: 'xyz' }]))).toBeUndefined();
  });

  it('models without the rule give no proof (register)', () => {
    const reg = getModel('register');
    const h = ops([
      { p: 0, f: 'write', in: 1, out: 1, t: [10, 20] },
      { p: 1, f: 'read', out: 0, t: [30, 40] },
    ]);
    expect(prove(h, reg)).toBeUndefined();
  });
});

describe('the checker with the proof', () => {
  // Key 0 of Porcupine's c50-bad: 230 ops from 50 clients. Its search alone did not end within
  // seconds (nor Porcupine's); get #675 begins after put "x 44 4 y" (#453) had returned, sees a
  // value starting "x 15 8 y", and the only put of that value returned before #453 began.
  const file = 'kv/c50-bad.txt';
  const text = readFileSync(resolve(import.meta.dirname, '../corpus/porcupine', file), 'utf8');
  const all = toOperations(parseHistory(text, { file }), { file, model: 'kv' });
  const key0 = all.filter((o) => o.key === '0');

  it('decides a key the search alone does not, naming the op that makes the read stale', () => {
    const r = checkSync(key0, { model: 'kv', timeoutMs: 20_000 });
    expect(r.valid).toBe(false);
    const a = r.anomaly!;
    expect(a.proof).toBe('stale');
    expect(a.kind).toBe('stale-read');
    expect(a.op.number).toBe(675);
    const after = all.find((o) => o.id === a.after)!;
    expect(after.number).toBe(453);
    expect(after.input).toBe('x 44 4 y');
    expect(after.return).toBeLessThan(a.op.call);
    expect(a.headline).toBe(`stale read: get 0 → ${JSON.stringify(a.op.output)} (op #675) began at 1.3 µs, after put 0 "x 44 4 y" (op #453) had already returned at 1.3 µs`);
    // No order of the ops before it came quickly here (fifty clients on ten keys): the proof stands alone.
    expect(a.prefix).toEqual([]);
    expect(a.state).toBe('');
    const shown = formatAnomaly(a, key0);
    expect(shown).toContain('Proven without a search');
    expect(shown).toContain('#453');
  });

  it('on a busy key of 64 ops or more it decides before any search, with an order of the ops completed before the read that works', () => {
    // Three clients append v0..v65, each append overlapping the next two (about 2.5 at a time);
    // a get after all of them misses the last one.
    const specs: OpSpec[] = [];
    let value = '';
    for (let i = 0; i < 66; i++) {
      specs.push({ p: i % 3, f: 'append', key: 'k', in: `v${i},`, out: `v${i},`, t: [10 * i, 10 * i + 25] });
      if (i < 65) value += `v${i},`;
    }
    specs.push({ p: 3, f: 'get', key: 'k', out: value, t: [700, 710] });
    const h = ops(specs);
    const r = checkSync(h, { model: 'kv' });
    expect(r.valid).toBe(false);
    const a = r.anomaly!;
    expect(a.proof).toBe('stale');
    expect(a.op.id).toBe(66);
    expect(a.after).toBe(65);
    // Every append, in some order real time allows, leaving their concatenation in that order.
    expect([...a.prefix].sort((x, y) => x - y)).toEqual(h.slice(0, 66).map((o) => o.id));
    expect(a.state).toBe(JSON.stringify(a.prefix.map((id) => h[id]!.input).join('')));
    expect(a.explanation).toContain(`An order of the 66 ops completed before it works; after it k is ${a.state}`);
    expect(formatAnomaly(a, h)).toContain('An order of the ops completed before it (66 ops, last 5 shown)');
  });

  it('on a quiet key it leaves the first turn to the search, which decides as before', () => {
    // The same, one client at a time: the search alone is quick here.
    const specs: OpSpec[] = [];
    let value = '';
    for (let i = 0; i < 66; i++) {
      specs.push({ p: 0, f: 'append', key: 'k', in: `v${i},`, out: `v${i},`, t: [10 * i, 10 * i + 5] });
      if (i < 65) value += `v${i},`;
    }
    specs.push({ p: 1, f: 'get', key: 'k', out: value, t: [700, 710] });
    const a = checkSync(ops(specs), { model: 'kv' }).anomaly!;
    expect(a.kind).toBe('stale-read');
    expect(a.proof).toBeUndefined();
    expect(a.prefix.length).toBe(66);
  });
});
