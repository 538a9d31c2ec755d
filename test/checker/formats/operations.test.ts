import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../../checker/history/parse.ts';
import { toOperations } from '../../../checker/history/operations.ts';
import { expectHistoryError } from './expect-history-error.ts';

type Line = [process: number | 'nemesis', type: string, f: string, value: unknown, extra?: Record<string, unknown>];

/** A jsonl history, one line per tuple, time = 10 × line number. */
function jsonl(lines: Line[]): string {
  return lines.map(([process, type, f, value, extra], i) => JSON.stringify({ process, type, f, value, time: (i + 1) * 10, ...extra })).join('\n');
}

const ops = (lines: Line[], model?: string) => toOperations(parseHistory(jsonl(lines), { file: 'h.jsonl' }), { file: 'h.jsonl', model });

describe('toOperations', () => {
  it('pairs each invoke with the next event of its process, skipping the nemesis', () => {
    const result = ops([
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'read', null],
      ['nemesis', 'info', 'kill', ['n1']],
      [1, 'ok', 'read', 0, { node: 'n2' }],
      [0, 'ok', 'write', 1],
    ]);
    expect(result).toEqual([
      { id: 0, number: 1, process: 0, f: 'write', input: 1, output: 1, status: 'ok', call: 10, return: 50, invokeIndex: 0, completeIndex: 4, source: { file: 'h.jsonl', line: 1 } },
      { id: 1, number: 2, process: 1, f: 'read', input: null, output: 0, status: 'ok', call: 20, return: 40, invokeIndex: 1, completeIndex: 3, node: 'n2', source: { file: 'h.jsonl', line: 2 } },
    ]);
  });

  it('drops fail, turns info and unfinished invokes into unknown outcomes, and drops reads of unknown outcome', () => {
    const result = ops([
      [0, 'invoke', 'write', 1],
      [0, 'fail', 'write', 1],
      [1, 'invoke', 'cas', [0, 2]],
      [1, 'info', 'cas', [0, 2], { error: 'timeout' }],
      [2, 'invoke', 'read', null],
      [2, 'info', 'read', null],
      [3, 'invoke', 'write', 5],
      [4, 'invoke', 'read', null],
    ]);
    expect(result.map((o) => [o.id, o.process, o.f, o.status, o.output, o.call, o.return, o.error])).toEqual([
      [0, 1, 'cas', 'info', undefined, 30, Infinity, 'timeout'],
      [1, 3, 'write', 'info', undefined, 70, Infinity, undefined],
    ]);
    // Numbers count every client invoke, the failed write and the dropped reads too.
    expect(result.map((o) => o.number)).toEqual([2, 4]);
  });

  it('keeps a cas whose compare failed, marked so', () => {
    const result = ops([
      [0, 'invoke', 'cas', [1, 2]],
      [0, 'fail', 'cas', [1, 2], { error: 'compare-failed' }],
    ]);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ f: 'cas', status: 'ok', compareFailed: true, input: [1, 2], return: 20 });
  });

  it('lets a process that got info invoke again', () => {
    const result = ops([
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write', 1],
      [0, 'invoke', 'write', 2],
      [0, 'ok', 'write', 2],
    ]);
    expect(result.map((o) => [o.status, o.return])).toEqual([
      ['info', Infinity],
      ['ok', 40],
    ]);
  });

  it('reads Porcupine logs: jepsen-log :fail :read :timed-out is dropped, :info ops stay open', () => {
    const events = parseHistory(
      [
        'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
        'INFO  jepsen.util - 1\t:invoke\t:write\t3',
        'INFO  jepsen.util - 0\t:fail\t:read\t:timed-out',
        'INFO  jepsen.util - 1\t:info\t:write\t:timed-out',
      ].join('\n'),
    );
    const result = toOperations(events, { model: 'cas-register' });
    expect(result.map((o) => [o.f, o.status, o.input, o.return])).toEqual([['write', 'info', 3, Infinity]]);
  });

  describe('refuses malformed histories, naming file and line', () => {
    it('a completion with no invoke', () => {
      expectHistoryError(() => ops([[0, 'invoke', 'read', null], [0, 'ok', 'read', 0], [1, 'ok', 'read', 0]]), 'h.jsonl', 3, /no invoke/);
    });
    it('a second invoke while one is outstanding', () => {
      expectHistoryError(() => ops([[0, 'invoke', 'read', null], [1, 'invoke', 'read', null], [0, 'invoke', 'write', 1]]), 'h.jsonl', 3, /line 1 has no completion/);
    });
    it('an unknown f', () => {
      expectHistoryError(() => ops([[0, 'invoke', 'read', null], [0, 'ok', 'read', 0], [0, 'invoke', 'frobnicate', 1]]), 'h.jsonl', 3, /unknown f "frobnicate" for the register model/);
    });
    it('an f outside the chosen model', () => {
      expectHistoryError(() => ops([[0, 'invoke', 'read', null], [0, 'ok', 'read', 0], [0, 'invoke', 'cas', [0, 1]]], 'register'), 'h.jsonl', 3, /unknown f "cas"/);
      expectHistoryError(() => ops([[0, 'invoke', 'inc', 1], [0, 'ok', 'inc', 1], [0, 'invoke', 'cas', [0, 1]]]), 'h.jsonl', 3, /counter model/);
    });
    it('a cas value that is not a pair', () => {
      expectHistoryError(() => ops([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'cas', 3]]), 'h.jsonl', 3, /cas invoke value 3 is not a pair/);
      expectHistoryError(() => ops([[1, 'invoke', 'cas', [1, 2]], [1, 'ok', 'cas', [1, 2, 3]]]), 'h.jsonl', 2, /not a pair/);
    });
    it('an increment that is not a number', () => {
      expectHistoryError(() => ops([[0, 'invoke', 'inc', 'one']]), 'h.jsonl', 1, /an integer \(the delta\)/);
      expectHistoryError(() => ops([[0, 'invoke', 'inc', 1], [0, 'ok', 'inc', 'two']]), 'h.jsonl', 2, /or null/);
    });
    it('a completion whose f or key differs from its invoke', () => {
      expectHistoryError(() => ops([[0, 'invoke', 'read', null], [0, 'ok', 'write', 1]]), 'h.jsonl', 2, /does not match/);
      expectHistoryError(() => ops([[0, 'invoke', 'read', null, { key: 'a' }], [0, 'ok', 'read', 1, { key: 'b' }]]), 'h.jsonl', 2, /key "b"/);
    });
    it('time going backwards', () => {
      const text = ['{"process":0,"type":"invoke","f":"read","value":null,"time":50}', '{"process":0,"type":"ok","f":"read","value":0,"time":40}'].join('\n');
      expectHistoryError(() => toOperations(parseHistory(text, { file: 'h.jsonl' }), { file: 'h.jsonl' }), 'h.jsonl', 2, /time goes backwards/);
    });
  });
});
