// Numbers are exact. Before: the cluster answered 200 to increments past 2^53 without changing the
// value; the checker called `write 9007199254740993; read 9007199254740992` linearizable (JSON and
// EDN integers beyond 2^53 collided), and a fractional increment came out as a rounding "not
// linearizable" instead of an input error.
import { describe, expect, it } from 'vitest';
import { oneNodeCluster } from './one-node.ts';
import { checkSync } from '../../checker/check.ts';
import { parseHistory } from '../../checker/history/parse.ts';
import { toOperations } from '../../checker/history/operations.ts';
import { HistoryError } from '../../checker/history/history-error.ts';

const verdict = (text: string, model?: string, format?: 'jsonl' | 'jepsen-edn') => {
  const events = parseHistory(text, { file: 'h', ...(format ? { format } : {}) });
  const ops = toOperations(events, { file: 'h', ...(model ? { model } : {}) });
  return checkSync(ops, { ...(model ? { model } : {}), ...(format === 'jepsen-edn' ? { initial: null } : {}) }).valid;
};

const line = (process: number, type: string, f: string, value: string, time: number) =>
  `{"process":${process},"type":"${type}","f":"${f}","key":"x","value":${value},"time":${time}}`;

describe('the checker compares integers exactly', () => {
  it('JSONL: a write of 2^53 + 1 read back as 2^53 is not linearizable; read back exactly, it is', () => {
    const h = (readValue: string) => [
      line(0, 'invoke', 'write', '9007199254740993', 1), line(0, 'ok', 'write', '9007199254740993', 2),
      line(0, 'invoke', 'read', 'null', 3), line(0, 'ok', 'read', readValue, 4),
    ].join('\n');
    expect(verdict(h('9007199254740992'), 'register')).toBe(false);
    expect(verdict(h('9007199254740993'), 'register')).toBe(true);
  });

  it('EDN: 2^63 - 1 and 2^63 - 2 are different values', () => {
    const h = (readValue: string) => `[{:process 0, :type :invoke, :f :write, :value 9223372036854775807}
{:process 0, :type :ok, :f :write, :value 9223372036854775807}
{:process 0, :type :invoke, :f :read, :value nil}
{:process 0, :type :ok, :f :read, :value ${readValue}}]`;
    expect(verdict(h('9223372036854775806'), 'register', 'jepsen-edn')).toBe(false);
    expect(verdict(h('9223372036854775807'), 'register', 'jepsen-edn')).toBe(true);
  });

  it('counter arithmetic past 2^53 is exact', () => {
    const h = (readValue: string) => [
      line(0, 'invoke', 'inc', '9007199254740992', 1), line(0, 'ok', 'inc', '9007199254740992', 2),
      line(0, 'invoke', 'inc', '1', 3), line(0, 'ok', 'inc', '9007199254740993', 4),
      line(0, 'invoke', 'read', 'null', 5), line(0, 'ok', 'read', readValue, 6),
    ].join('\n');
    expect(verdict(h('9007199254740993'), 'counter')).toBe(true);
    expect(verdict(h('9007199254740992'), 'counter')).toBe(false);
  });

  it('a fractional increment is an input error naming the line, not a verdict', () => {
    const text = [line(0, 'invoke', 'inc', '0.5', 1), line(0, 'ok', 'inc', '0.5', 2)].join('\n');
    expect(() => verdict(text, 'counter')).toThrow(HistoryError);
    expect(() => verdict(text, 'counter')).toThrow(/h:1: inc invoke value 0.5 is not an integer \(the delta\)/);
  });
});

describe('the cluster never saturates silently', () => {
  const nodeUrl = oneNodeCluster('bignum');

  it('refuses an increment past 2^53 - 1 with 400 out-of-range and leaves the value as it was', { timeout: 60_000 }, async () => {
    const url = await nodeUrl();
    const put = await fetch(`${url}/kv/x`, { method: 'PUT', body: '{"value":9007199254740991}' });
    expect(put.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${url}/kv/x/inc`, { method: 'POST', body: '{"delta":1}' });
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ error: 'out-of-range', value: 9007199254740991 });
    }
    expect(await (await fetch(`${url}/kv/x`)).json()).toEqual({ value: 9007199254740991 });
    const tooBig = await fetch(`${url}/kv/y`, { method: 'PUT', body: '{"value":9007199254740993}' });
    expect(tooBig.status).toBe(400);
  });
});
