import { describe, expect, it } from 'vitest';
import { linesOf, parseHistory } from '../../../checker/history/parse.ts';
import { expectHistoryError } from './expect-history-error.ts';

const SPEC_EXAMPLE = `{"process":0,"type":"invoke","f":"inc","key":"x","value":1,"time":1000}
{"process":0,"type":"ok","f":"inc","key":"x","value":1,"time":2000,"node":"n1"}
{"process":"nemesis","type":"info","f":"kill","value":["n1"],"time":2500}

{"process":1,"type":"invoke","f":"inc","key":"x","value":1,"time":3000,"trace":"abc"}
`;

const parse = (text: string) => parseHistory(text, { format: 'jsonl', file: 'h.jsonl' });

describe('jsonl', () => {
  it('reads the spec example, keeping unknown fields and the line of every event', () => {
    const events = parse(SPEC_EXAMPLE);
    expect(events).toHaveLength(4);
    expect(events[1]).toEqual({ process: 0, type: 'ok', f: 'inc', key: 'x', value: 1, time: 2000, node: 'n1' });
    expect(events[2]!.process).toBe('nemesis');
    expect(events[3]!.trace).toBe('abc');
    expect(linesOf(events)).toEqual([1, 2, 3, 5]);
  });

  it('reads a missing value as null', () => {
    expect(parse('{"process":0,"type":"invoke","f":"read","time":0}')[0]!.value).toBeNull();
  });

  it('names the line of bad JSON, counting blank lines', () => {
    expectHistoryError(() => parse('{"process":0,"type":"invoke","f":"read","value":null,"time":0}\n\n{"process":0,"type":"ok",'), 'h.jsonl', 3, /bad JSON/);
  });

  it.each([
    ['a non-object', '[1,2]', /JSON object/],
    ['a negative process', '{"process":-1,"type":"invoke","f":"read","value":null,"time":0}', /"process"/],
    ['an unknown type', '{"process":0,"type":"done","f":"read","value":null,"time":0}', /"type"/],
    ['a missing f', '{"process":0,"type":"invoke","value":null,"time":0}', /"f"/],
    ['a numeric key', '{"process":0,"type":"invoke","f":"read","key":3,"value":null,"time":0}', /"key"/],
    ['a fractional time', '{"process":0,"type":"invoke","f":"read","value":null,"time":1.5}', /"time"/],
    ['a missing time', '{"process":0,"type":"invoke","f":"read","value":null}', /"time"/],
  ])('refuses %s', (_what, line, detail) => {
    expectHistoryError(() => parse(`{"process":1,"type":"invoke","f":"read","value":null,"time":0}\n${line}`), 'h.jsonl', 2, detail);
  });
});
