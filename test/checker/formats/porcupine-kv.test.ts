import { describe, expect, it } from 'vitest';
import { linesOf, parseHistory } from '../../../checker/history/parse.ts';
import { expectHistoryError } from './expect-history-error.ts';

const parse = (text: string) => parseHistory(text, { format: 'porcupine-kv', file: 'c01.txt' });

describe('porcupine-kv', () => {
  it('reads get/put/append lines with string keys and values', () => {
    const events = parse(
      [
        '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}',
        '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
        '{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}',
        '{:process 1, :type :ok, :f :get, :key "0", :value ""}',
      ].join('\n'),
    );
    expect(events.map((e) => [e.process, e.type, e.f, e.key, e.value, e.time])).toEqual([
      [0, 'invoke', 'append', '0', 'x 0 0 y', 0],
      [1, 'invoke', 'get', '0', null, 1],
      [0, 'ok', 'append', '0', 'x 0 0 y', 2],
      [1, 'ok', 'get', '0', '', 3],
    ]);
    expect(linesOf(events)).toEqual([1, 2, 3, 4]);
  });

  it('refuses other ops, a missing key and non-string values, naming the line', () => {
    const ok = '{:process 0, :type :invoke, :f :get, :key "0", :value nil}\n';
    expectHistoryError(() => parse(ok + '{:process 0, :type :invoke, :f :cas, :key "0", :value [1 2]}'), 'c01.txt', 2, /unknown :f "cas"/);
    expectHistoryError(() => parse(ok + '{:process 0, :type :invoke, :f :put, :value "a"}'), 'c01.txt', 2, /:key/);
    expectHistoryError(() => parse(ok + '{:process 0, :type :invoke, :f :put, :key "1", :value 3}'), 'c01.txt', 2, /string/);
  });
});
