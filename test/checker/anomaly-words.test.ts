// The anomaly's lead says in plain words what kind of anomaly it is, names ops by one number
// everywhere, and (given the history) the node that served the op and the fault of that moment.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, checkSync } from '../../checker/check.ts';
import { parseHistory } from '../../checker/history/parse.ts';
import { toOperations } from '../../checker/history/operations.ts';
import { kindWords } from '../../checker/evidence/anomaly.ts';
import { spellOperation } from '../../checker/evidence/spell.ts';
import type { HistoryEvent } from '../../checker/types.ts';
import { anomalyText } from '../../src/report/anomaly-text.ts';
import { pairHistory } from '../../src/report/pair.ts';
import { describeOp } from '../../src/report/anomaly-view.ts';
import { ops } from './helpers.ts';

const CORPUS = resolve(import.meta.dirname, '../corpus/porcupine');

describe('anomaly kinds on the corpus', () => {
  const files = [
    ...readdirSync(join(CORPUS, 'jepsen')).filter((f) => f.endsWith('.log') && f !== 'etcd_095.log').map((f) => `jepsen/${f}`),
    ...['kv/c01-bad.txt', 'kv/c10-bad.txt', 'kv/c50-bad.txt'],
  ];

  it('every invalid file leads with a kind, the culprit by number, and an earlier-returned op that proves it', async () => {
    let invalid = 0;
    for (const file of files) {
      const events = parseHistory(readFileSync(join(CORPUS, file), 'utf8'), { file });
      const model = file.startsWith('kv/') ? 'kv' : 'cas-register';
      const operations = toOperations(events, { file, model });
      const r = await check(operations, { model, timeoutMs: 30_000, ...(model === 'kv' ? {} : { initial: null }) });
      if (r.valid !== false) continue;
      invalid++;
      const a = r.anomaly!;
      expect(a.headline.startsWith(`${kindWords(a.kind)}: `), `${file}: ${a.headline}`).toBe(true);
      expect(a.headline).toContain(`(op #${a.op.number}`);
      if (a.kind === 'stale-read' || a.kind === 'stale-result') {
        const after = operations[a.after!]!;
        expect(after.return).toBeLessThan(a.op.call);
        expect(a.headline).toContain(`op #${after.number}`);
      }
      // The text every command prints opens with the same sentence.
      const text = anomalyText(a, operations, events, model);
      expect(text.split('\n')[2]).toBe(`${a.headline}.`);
      // The report names the culprit with the same number and words.
      const reportOp = pairHistory(events).ops.find((o) => o.invokeIndex === a.op.invokeIndex)!;
      expect(describeOp(reportOp)).toBe(`#${a.op.number} ${spellOperation(a.op)}`);
      expect(text).toContain(spellOperation(a.op));
    }
    expect(invalid).toBe(82);
  }, 60_000);
});

describe('anomaly kinds, one of each', () => {
  it('a counter read above anything the increments allow is an impossible read', () => {
    const h = ops([
      { p: 0, f: 'inc', key: 'x', in: 1, out: 1, t: [1, 2] },
      { p: 1, f: 'read', key: 'x', out: 5, t: [3, 4] },
    ]);
    const a = checkSync(h, { model: 'counter' }).anomaly!;
    expect(a.kind).toBe('impossible-read');
    expect(a.headline).toMatch(/^impossible read: read x → 5 \(op #2, began at 3 ns\) saw a value x never held/);
  });

  it('an increment answered with an old result (the replayed-request bug) is a stale result', () => {
    const h = ops([
      { p: 0, f: 'inc', key: 'k0', in: 1, out: 1, t: [1, 2] },
      { p: 0, f: 'inc', key: 'k0', in: 1, out: 2, t: [3, 4] },
      { p: 1, f: 'inc', key: 'k0', in: 1, out: 2, t: [5, 6] },
    ]);
    const a = checkSync(h, { model: 'counter' }).anomaly!;
    expect(a.kind).toBe('stale-result');
    expect(a.headline).toBe('stale result: inc k0 by 1 → 2 (op #3) began at 5 ns, after inc k0 by 1 → 2 (op #2) had already returned at 4 ns');
  });
});

describe('the moment of the anomaly', () => {
  const ev = (e: Partial<HistoryEvent> & Pick<HistoryEvent, 'process' | 'type' | 'f' | 'time'>): HistoryEvent => ({ value: null, ...e }) as HistoryEvent;
  const history: HistoryEvent[] = [
    ev({ process: 0, type: 'invoke', f: 'write', key: 'x', value: 1, time: 1e9 }),
    ev({ process: 0, type: 'ok', f: 'write', key: 'x', value: 1, time: 1.1e9, node: 'n2' }),
    ev({ process: 'nemesis', type: 'info', f: 'start-partition', value: { shape: 'isolate-leader', grudge: { n1: ['n2', 'n3'], n2: ['n1'], n3: ['n1'] } }, time: 2e9 }),
    ev({ process: 0, type: 'invoke', f: 'write', key: 'x', value: 2, time: 3e9 }),
    ev({ process: 0, type: 'ok', f: 'write', key: 'x', value: 2, time: 3.1e9, node: 'n2' }),
    ev({ process: 1, type: 'invoke', f: 'read', key: 'x', value: null, time: 4e9 }),
    ev({ process: 1, type: 'ok', f: 'read', key: 'x', value: 1, time: 4.1e9, node: 'n1' }),
    ev({ process: 'nemesis', type: 'info', f: 'stop-partition', value: null, time: 5e9 }),
  ];

  it('names the node that served the op and the partition in force, in the text every command prints', () => {
    const operations = toOperations(history, { model: 'register' });
    const a = checkSync(operations, { model: 'register' }).anomaly!;
    const text = anomalyText(a, operations, history, 'register');
    expect(text).toContain('stale read: read x → 1 (op #3) began at 4.000 s, after write x := 2 (op #2) had already returned at 3.100 s.');
    expect(text).toContain('Served by n1, during partition isolate-leader {n1} | {n2,n3} (since 2.000 s).');
  });

  it('a fault that ended just before counts as just healed', () => {
    const healedEarly = history.map((e) => (e.f === 'stop-partition' ? { ...e, time: 3.5e9 } : e));
    healedEarly.sort((a, b) => a.time - b.time);
    const operations = toOperations(healedEarly, { model: 'register' });
    const a = checkSync(operations, { model: 'register' }).anomaly!;
    expect(anomalyText(a, operations, healedEarly, 'register')).toContain('Served by n1, 500.0 ms after partition isolate-leader {n1} | {n2,n3} ended (at 3.500 s).');
  });
});
