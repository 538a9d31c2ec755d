import { describe, expect, it } from 'vitest';
import { linesOf, parseHistory } from '../../../checker/history/parse.ts';
import { expectHistoryError } from './expect-history-error.ts';

const parse = (text: string) => parseHistory(text, { format: 'jepsen-edn', file: 'history.edn' });

// Knossos-style: a top-level vector, no :time, a nemesis op, pretty-printed over several lines.
const KNOSSOS_VECTOR = `[{:process 0, :type :invoke, :f :write, :value 3}
 {:process :nemesis, :type :info, :f :start, :value nil}
 {:process 0, :type :ok, :f :write, :value 3}
 {:process 1,
  :type :invoke, :f :cas, :value [3 4]}
 {:process 1, :type :fail, :f :cas, :value [3 4], :error :timeout}]
`;

describe('jepsen-edn', () => {
  it('reads a top-level vector: keywords become strings, time is the position, lines are where each map starts', () => {
    const events = parse(KNOSSOS_VECTOR);
    expect(events.map((e) => [e.process, e.type, e.f, e.value, e.time])).toEqual([
      [0, 'invoke', 'write', 3, 0],
      ['nemesis', 'info', 'start', null, 1],
      [0, 'ok', 'write', 3, 2],
      [1, 'invoke', 'cas', [3, 4], 3],
      [1, 'fail', 'cas', [3, 4], 4],
    ]);
    expect(events[4]!.error).toBe('timeout');
    expect(linesOf(events)).toEqual([1, 2, 3, 4, 6]);
  });

  it('reads one map per line, keeping :time (as the label jepsenTime), :index and other fields', () => {
    const events = parse(
      '{:index 0, :time 1500, :type :invoke, :process 2, :f :read, :value nil}\n' +
        '{:index 1, :time 2500, :type :ok, :process 2, :f :read, :value 7, :node "n1"}\n',
    );
    // File order is real-time order (as in Knossos): time is the position, Jepsen's :time a label.
    expect(events[1]).toEqual({ index: 1, time: 1, jepsenTime: 2500, type: 'ok', process: 2, f: 'read', value: 7, node: 'n1' });
  });

  it('turns a structured :error into text', () => {
    const events = parse('{:process 0, :type :info, :f :write, :value 1, :error [:timeout 500]}\n{:process 1, :type :fail, :f :write, :value 1, :error nil}');
    expect(events[0]!.error).toBe('["timeout",500]');
    expect('error' in events[1]!).toBe(false);
  });

  it('unwraps tagged records such as #jepsen.history.Op{...}', () => {
    const events = parse('#jepsen.history.Op{:index 0, :time 5, :type :invoke, :process 0, :f :read, :value nil}');
    expect(events[0]).toMatchObject({ process: 0, type: 'invoke', f: 'read', time: 0, jepsenTime: 5 });
  });

  it('keeps a tag inside an op with its value, not with the next op', () => {
    const events = parse('[{:process 0, :type :invoke, :f :read, :value nil, :at #inst "2020-01-01T00:00:00Z"}\n {:process 0, :type :ok, :f :read, :value 1}]');
    expect(events.map((e) => [e.type, e.value, e.at])).toEqual([
      ['invoke', null, '2020-01-01T00:00:00Z'],
      ['ok', 1, undefined],
    ]);
    expect(linesOf(events)).toEqual([1, 2]);
  });

  it('turns jepsen.independent [key value] tuples into key + value', () => {
    const events = parse(`[{:process 0, :type :invoke, :f :read, :value [7 nil]}
{:process 0, :type :ok, :f :read, :value [7 3]}
{:process 1, :type :invoke, :f :cas, :value [8 [1 2]]}
{:process :nemesis, :type :info, :f :kill, :value [:n1 :n2]}]`);
    expect(events.map((e) => [e.key, e.value])).toEqual([
      ['7', null],
      ['7', 3],
      ['8', [1, 2]],
      [undefined, ['n1', 'n2']],
    ]);
  });

  it('leaves a history of plain cas pairs alone', () => {
    const events = parse('{:process 0, :type :invoke, :f :cas, :value [1 2]}\n{:process 0, :type :ok, :f :cas, :value [1 2]}');
    expect(events.map((e) => [e.key, e.value])).toEqual([
      [undefined, [1, 2]],
      [undefined, [1, 2]],
    ]);
  });

  it('reports truncated EDN at the line the unclosed map opens', () => {
    expectHistoryError(() => parse('{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok,\n :f :read'), 'history.edn', 2, /truncated EDN/);
  });

  it('reports a truncated top-level vector', () => {
    expectHistoryError(() => parse('[{:process 0, :type :invoke, :f :read, :value nil}\n {:process 0, :type :ok, :f :read, :value 1}\n'), 'history.edn', 1, /truncated EDN.*'\['/);
  });

  it('reports an unterminated string', () => {
    expectHistoryError(() => parse('{:process 0, :type :invoke, :f :write, :value nil}\n{:process 0, :type :ok, :f :write, :value "abc}'), 'history.edn', 2, /string/);
  });

  it('reports a mismatched or stray closing bracket at its line', () => {
    expectHistoryError(() => parse('{:process 0, :type :invoke,\n :f :read, :value nil]'), 'history.edn', 2, /'\]' where '\}'/);
    expectHistoryError(() => parse('{:process 0, :type :invoke, :f :read, :value nil}\n\n}'), 'history.edn', 3, /closes nothing/);
  });

  it('refuses an op that is not a map, or has a bad :process or :type', () => {
    expectHistoryError(() => parse('{:process 0, :type :invoke, :f :read, :value nil}\n42'), 'history.edn', 2, /op map/);
    expectHistoryError(() => parse('{:process "p", :type :invoke, :f :read, :value nil}'), 'history.edn', 1, /:process/);
    expectHistoryError(() => parse('[{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :done, :f :read, :value nil}]'), 'history.edn', 2, /:type/);
  });
});
