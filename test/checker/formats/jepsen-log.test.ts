import { describe, expect, it } from 'vitest';
import { linesOf, parseHistory } from '../../../checker/history/parse.ts';
import { expectHistoryError } from './expect-history-error.ts';

const parse = (text: string) => parseHistory(text, { format: 'jepsen-log', file: 'etcd.log' });

describe('jepsen-log', () => {
  it('reads tab- and space-separated op lines and skips other log lines', () => {
    const events = parse(
      [
        'INFO  jepsen.core - Running test',
        'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
        'INFO  jepsen.util - 3   :invoke :cas    [1 2]',
        'INFO  jepsen.util - 0\t:ok\t:read\t4',
        'INFO  jepsen.util - :nemesis\t:info\t:start\tnil',
        'INFO  jepsen.util - 3   :ok     :cas    [1 2]',
      ].join('\n'),
    );
    expect(events.map((e) => [e.process, e.type, e.f, e.value, e.time])).toEqual([
      [0, 'invoke', 'read', null, 0],
      [3, 'invoke', 'cas', [1, 2], 1],
      [0, 'ok', 'read', 4, 2],
      ['nemesis', 'info', 'start', null, 3],
      [3, 'ok', 'cas', [1, 2], 4],
    ]);
    expect(linesOf(events)).toEqual([2, 3, 4, 5, 6]);
  });

  it('reads the newer timestamped Jepsen log layout', () => {
    const text = '2017-03-01 10:00:00,000{GMT}\tINFO\t[jepsen worker 3] jepsen.util: 3\t:invoke\t:write\t2\n' +
      '2017-03-01 10:00:00,010{GMT}\tINFO\t[jepsen worker 3] jepsen.util: 3\t:ok\t:write\t2\n';
    expect(parseHistory(text).map((e) => [e.process, e.type, e.f, e.value])).toEqual([
      [3, 'invoke', 'write', 2],
      [3, 'ok', 'write', 2],
    ]);
  });

  it('reads :timed-out as an unknown outcome, and a failed cas as a compare that did not match', () => {
    const events = parse(
      [
        'INFO  jepsen.util - 1\t:info\t:write\t:timed-out',
        'INFO  jepsen.util - 2\t:fail\t:read\t:timed-out',
        'INFO  jepsen.util - 4\t:fail\t:cas\t[0 3]',
        'INFO  jepsen.util - 5\t:fail\t:write\t3',
      ].join('\n'),
    );
    expect(events.map((e) => [e.type, e.error, e.value])).toEqual([
      ['info', 'timed-out', null],
      ['info', 'timed-out', null],
      ['fail', 'compare-failed', [0, 3]],
      ['fail', undefined, 3],
    ]);
  });

  it('names the line of a malformed value', () => {
    expectHistoryError(() => parse('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 3\t:invoke\t:cas\t[1 2'), 'etcd.log', 2, /truncated EDN/);
  });

  it('names the line of a bad process or f', () => {
    expectHistoryError(() => parse('\n\nINFO  jepsen.util - -1\t:invoke\t:read\tnil'), 'etcd.log', 3, /process/);
    expectHistoryError(() => parse('INFO  jepsen.util - 1\t:invoke\tread\tnil'), 'etcd.log', 1, /keyword/);
    expectHistoryError(() => parse('INFO  jepsen.util - 1\t:invoke\t:read\t:timed-out'), 'etcd.log', 1, /timed-out/);
  });
});
