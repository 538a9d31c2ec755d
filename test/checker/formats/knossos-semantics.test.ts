// Imported histories mean what Jepsen and Knossos mean: one test per rule of
// docs/history-format.md, on histories written here.
import { describe, expect, it } from 'vitest';
import { checkSync } from '../../../checker/check.ts';
import { defaultInitialFor, parseHistoryDetected } from '../../../checker/history/parse.ts';
import { toOperations } from '../../../checker/history/operations.ts';
import { HistoryError } from '../../../checker/history/history-error.ts';

function verdict(text: string, model = 'cas-register', initial?: unknown) {
  const { events, format } = parseHistoryDetected(text, { file: 'h' });
  const init = initial !== undefined ? { value: initial } : defaultInitialFor(format);
  return checkSync(toOperations(events, { file: 'h', model }), { model, ...(init ? { initial: init.value } : {}) }).valid;
}

describe('Knossos semantics of EDN histories', () => {
  it('an :ok :read of nil constrains nothing (Knossos: nil value = unknown read)', () => {
    const h = `[{:process 0, :type :invoke, :f :write, :value 1}
{:process 0, :type :ok, :f :write, :value 1}
{:process 1, :type :invoke, :f :read, :value nil}
{:process 1, :type :ok, :f :read, :value nil}
{:process 1, :type :invoke, :f :read, :value nil}
{:process 1, :type :ok, :f :read, :value 1}]`;
    expect(verdict(h, 'cas-register', 0)).toBe(true);
    expect(verdict(h)).toBe(true);
    // The same in tenrec's JSONL means the register held null, which after a write of 1 it did not.
    const jsonl = [
      { process: 0, type: 'invoke', f: 'write', value: 1, time: 1 }, { process: 0, type: 'ok', f: 'write', value: 1, time: 2 },
      { process: 1, type: 'invoke', f: 'read', value: null, time: 3 }, { process: 1, type: 'ok', f: 'read', value: null, time: 4 },
    ].map((e) => JSON.stringify(e)).join('\n');
    expect(verdict(jsonl, 'cas-register', 0)).toBe(false);
    // Read of unknown result in JSONL: complete it with info.
    expect(verdict(jsonl.replace('"type":"ok","f":"read","value":null', '"type":"info","f":"read","value":null'), 'cas-register', 0)).toBe(true);
  });

  it('a top-level list reads like a vector', () => {
    const h = `({:process 0, :type :invoke, :f :write, :value 3}
 {:process 0, :type :ok, :f :write, :value 3}
 {:process 0, :type :invoke, :f :read, :value nil}
 {:process 0, :type :ok, :f :read, :value 4})`;
    expect(verdict(h)).toBe(false);
    expect(verdict(h.replace(':value 4', ':value 3'))).toBe(true);
  });

  it('file order is real-time order: :time going backwards (per-thread clocks) is accepted, and ignored for ordering', () => {
    // By :time the write (1000..1100) would come after the read (900..950); by file order it comes first.
    const h = `{:process 0, :type :invoke, :f :write, :value 2, :time 1000}
{:process 0, :type :ok, :f :write, :value 2, :time 1100}
{:process 1, :type :invoke, :f :read, :value nil, :time 900}
{:process 1, :type :ok, :f :read, :value 2, :time 950}`;
    expect(verdict(h)).toBe(true);
  });

  it('JSONL keeps refusing time that goes backwards, and says why', () => {
    const h = [{ process: 0, type: 'invoke', f: 'write', value: 1, time: 10 }, { process: 0, type: 'ok', f: 'write', value: 1, time: 5 }]
      .map((e) => JSON.stringify(e)).join('\n');
    expect(() => verdict(h)).toThrow(HistoryError);
    expect(() => verdict(h)).toThrow(/time goes backwards.*non-decreasing/);
  });

  it('--initial defaults: JSONL the model\'s own (0), Jepsen EDN and logs nil (Knossos\' CLI)', () => {
    expect(defaultInitialFor('jsonl')).toBeUndefined();
    expect(defaultInitialFor('jepsen-edn')).toEqual({ value: null });
    expect(defaultInitialFor('jepsen-log')).toEqual({ value: null });
    // Knossos' own corpus tests start registers at 0: a cas from 0 needs --initial 0.
    const h = `[{:process 0, :type :invoke, :f :cas, :value [0 1]}
{:process 0, :type :ok, :f :cas, :value [0 1]}]`;
    expect(verdict(h)).toBe(false);
    expect(verdict(h, 'cas-register', 0)).toBe(true);
  });

  it('Jepsen logs keep Porcupine\'s reading: a read of nil is a read of the empty register', () => {
    const log = (v: string) => `INFO  jepsen.util - 0\t:invoke\t:write\t1
INFO  jepsen.util - 0\t:ok\t:write\t1
INFO  jepsen.util - 1\t:invoke\t:read\tnil
INFO  jepsen.util - 1\t:ok\t:read\t${v}`;
    expect(verdict(log('nil'))).toBe(false);
    expect(verdict(log('1'))).toBe(true);
  });
});
