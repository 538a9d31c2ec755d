import { describe, expect, it } from 'vitest';
import { detectFormat, parseHistory } from '../../../checker/history/parse.ts';
import { expectHistoryError } from './expect-history-error.ts';

describe('format detection', () => {
  it.each([
    ['jsonl', '{"process":0,"type":"invoke","f":"read","value":null,"time":0}'],
    ['jsonl', '\n\n{ "process": 0, "type": "invoke", "f": "read", "value": null, "time": 0 }'],
    ['jsonl', ''],
    ['jepsen-log', 'INFO  jepsen.util - 0\t:invoke\t:read\tnil'],
    ['jepsen-log', 'INFO  jepsen.core - Running test\nINFO  jepsen.util - 0   :invoke :read   nil'],
    ['porcupine-kv', '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}'],
    ['jepsen-edn', '{:process 0, :type :invoke, :f :read, :value nil}'],
    ['jepsen-edn', '[{:process 0, :type :invoke, :f :read, :value nil}]'],
    ['jepsen-edn', '#jepsen.history.Op{:process 0, :type :invoke, :f :read, :value nil}'],
  ])('tells %s from %j', (format, text) => {
    expect(detectFormat(text)).toBe(format);
  });

  it('ignores a byte-order mark', () => {
    const events = parseHistory('\uFEFF{:process 0, :type :invoke, :f :read, :value nil}\r\n{:process 0, :type :ok, :f :read, :value 0}\r\n');
    expect(events.map((e) => e.type)).toEqual(['invoke', 'ok']);
  });

  it('names the first line when it cannot tell', () => {
    expectHistoryError(() => detectFormat('\nprocess,type,f\n0,invoke,read', 'h.csv'), 'h.csv', 2, /cannot tell/);
  });
});
