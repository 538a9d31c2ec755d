// Seeded fuzzing, bounded in count: mutated histories in all four formats never make the parsers
// or the checker fail with anything but a HistoryError or a model input error (no TypeError,
// no RangeError, no hang), and random requests never make a node answer 5xx.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHistoryDetected } from '../../checker/history/parse.ts';
import { HistoryError } from '../../checker/history/history-error.ts';
import { toOperations } from '../../checker/history/operations.ts';
import { checkSync } from '../../checker/check.ts';
import { ModelInputError } from '../../checker/models/model.ts';
import { createRng, type Rng } from '../../workloads/rng.ts';
import { oneNodeCluster } from './one-node.ts';

const CORPUS = resolve(import.meta.dirname, '../corpus/porcupine');
const head = (file: string, lines: number) => readFileSync(join(CORPUS, file), 'utf8').split('\n').slice(0, lines).join('\n');

const SEEDS: { name: string; text: string }[] = [
  { name: 'jsonl', text: [0, 1, 2, 3].map((i) => JSON.stringify({ process: i % 2, type: i < 2 ? 'invoke' : 'ok', f: 'inc', key: 'x', value: i < 2 ? 1 : i - 1, time: i })).join('\n') },
  { name: 'jepsen-log', text: head('jepsen/etcd_000.log', 30) },
  { name: 'porcupine-kv', text: head('kv/c01-ok.txt', 30) },
  { name: 'jepsen-edn', text: '[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :invoke, :f :cas, :value [1 2]}\n {:process 1, :type :ok, :f :cas, :value [1 2], :time 5}\n {:process :nemesis, :type :info, :f :kill, :value #{:n1}}]' },
];

const JUNK = ['[', ']', '{', '}', '(', ')', '"', '\\', ':', ',', '#', '#_', '#inst', ';', '\n', '-', '9007199254740993', '1e999', 'nil', 'NaN', '\u0000', '\ufeff', ':ok', ':info', '"type":"ok"', 'null', '99999999999999999999'];

function mutate(text: string, rng: Rng): string {
  let t = text;
  for (let m = 1 + rng.int(4); m > 0; m--) {
    const at = rng.int(t.length + 1);
    switch (rng.int(6)) {
      case 0: t = t.slice(0, at) + String.fromCharCode(rng.int(128)) + t.slice(at + 1); break;
      case 1: t = t.slice(0, at) + t.slice(at + 1 + rng.int(20)); break;
      case 2: t = t.slice(0, at) + rng.pick(JUNK) + t.slice(at); break;
      case 3: { const len = rng.int(40); t = t.slice(0, at) + t.slice(at, at + len).repeat(2) + t.slice(at + len); break; }
      case 4: t = t.slice(0, at); break;
      default: t = t.slice(0, at) + rng.pick(JUNK).repeat(1 + rng.int(50)) + t.slice(at);
    }
  }
  return t;
}

describe('fuzzed histories', () => {
  it('4,000 mutated files: every outcome is events, a HistoryError or a model input error', () => {
    const rng = createRng(20261201);
    const tally = { parsed: 0, checked: 0, refused: 0 };
    for (let i = 0; i < 4000; i++) {
      const seed = SEEDS[i % SEEDS.length]!;
      const text = mutate(seed.text, rng);
      try {
        const { events } = parseHistoryDetected(text, { file: `fuzz-${i}` });
        tally.parsed++;
        const ops = toOperations(events, { file: `fuzz-${i}` });
        const r = checkSync(ops, { timeoutMs: 2000 });
        expect(['boolean', 'string']).toContain(typeof r.valid);
        tally.checked++;
      } catch (err) {
        if (!(err instanceof HistoryError || err instanceof ModelInputError)) {
          throw new Error(`${seed.name} mutation ${i} threw ${(err as Error).name}: ${(err as Error).message}\n${JSON.stringify(text).slice(0, 400)}`);
        }
        tally.refused++;
      }
    }
    // The mutations must exercise both sides.
    expect(tally.checked).toBeGreaterThan(300);
    expect(tally.refused).toBeGreaterThan(300);
  }, 120_000);
});

describe('fuzzed requests', () => {
  const nodeUrl = oneNodeCluster('fuzz-http');

  it('600 random requests to a node: never a 5xx, always a JSON body', { timeout: 120_000 }, async () => {
    const url = await nodeUrl();
    const rng = createRng(7);
    const paths = ['/kv/x', '/kv/x/inc', '/kv/x/cas', '/status', '/kv/', '/kv/%zz', '/kv/x/../../etc', '/kv/' + 'k'.repeat(5000), '/nope', '/kv/x/inc?x=1'];
    const bodies = ['{"value":1}', '{"delta":2}', '{"expected":0,"new":1}', '{"value":1.5}', '{"value":"x"}', '[]', 'null', '{', '', '{"delta":9007199254740993}', '{"value":{"a":1}}', JSON.stringify({ value: 1, pad: 'x'.repeat(20000) })];
    const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD'];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 600; i++) {
      const method = rng.pick(methods);
      const headers: Record<string, string> = {};
      if (rng.next() < 0.3) headers['client-id'] = rng.pick(['a', 'b'.repeat(200), 'c d', '']);
      if (rng.next() < 0.3) headers['request-id'] = rng.pick(['1', String(i), 'x'.repeat(300)]);
      const init: RequestInit = { method, headers };
      if (method !== 'GET' && method !== 'HEAD') init.body = rng.pick(bodies);
      const r = await fetch(`${url}${rng.pick(paths)}`, init);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const text = await r.text();
      expect(r.status, `${method} → ${text.slice(0, 200)}`).toBeLessThan(500);
      if (method !== 'HEAD') expect(() => JSON.parse(text)).not.toThrow();
    }
    expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  });
});
