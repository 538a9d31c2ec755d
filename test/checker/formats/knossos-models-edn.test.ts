// Each Knossos model read from EDN as Knossos spells its ops, model inferred from the ops.
import { describe, expect, it } from 'vitest';
import { checkSync } from '../../../checker/check.ts';
import { parseHistory } from '../../../checker/history/parse.ts';
import { toOperations } from '../../../checker/history/operations.ts';
import { inferModelName } from '../../../checker/history/model-families.ts';

function run(edn: string, model?: string) {
  const events = parseHistory(edn, { file: 'h.edn' });
  const name = model ?? inferModelName(events);
  return { model: name, valid: checkSync(toOperations(events, { file: 'h.edn', model: name }), { model: name }).valid };
}

const ops = (...lines: string[]) => `[${lines.join('\n ')}]`;

describe('Knossos models from EDN', () => {
  it('mutex: two processes holding the lock at once is not linearizable', () => {
    const ok = ops('{:process 0, :type :invoke, :f :acquire}', '{:process 0, :type :ok, :f :acquire}', '{:process 0, :type :invoke, :f :release}', '{:process 0, :type :ok, :f :release}', '{:process 1, :type :invoke, :f :acquire}', '{:process 1, :type :ok, :f :acquire}');
    expect(run(ok)).toEqual({ model: 'mutex', valid: true });
    expect(run(ok.replace(/\{:process 0, :type :invoke, :f :release\}\n \{:process 0, :type :ok, :f :release\}\n /, ''))).toEqual({ model: 'mutex', valid: false });
  });

  it('set: a read must show every add that completed before it', () => {
    const h = (seen: string) => ops('{:process 0, :type :invoke, :f :add, :value 1}', '{:process 0, :type :ok, :f :add, :value 1}', '{:process 1, :type :invoke, :f :read, :value nil}', `{:process 1, :type :ok, :f :read, :value ${seen}}`);
    expect(run(h('#{1}'))).toEqual({ model: 'set', valid: true });
    expect(run(h('#{}'))).toEqual({ model: 'set', valid: false });
  });

  it('queues: FIFO order is checked only by fifo-queue', () => {
    const h = ops('{:process 0, :type :invoke, :f :enqueue, :value 1}', '{:process 0, :type :ok, :f :enqueue, :value 1}', '{:process 0, :type :invoke, :f :enqueue, :value 2}', '{:process 0, :type :ok, :f :enqueue, :value 2}', '{:process 1, :type :invoke, :f :dequeue, :value nil}', '{:process 1, :type :ok, :f :dequeue, :value 2}');
    expect(run(h)).toEqual({ model: 'unordered-queue', valid: true });
    expect(run(h, 'fifo-queue')).toEqual({ model: 'fifo-queue', valid: false });
  });

  it('multi-register: a transaction reads what an earlier one wrote; a nil read constrains nothing', () => {
    const h = (x: string) => ops('{:process 0, :type :invoke, :f :txn, :value [[:write :x 1] [:write :y 2]]}', '{:process 0, :type :ok, :f :txn, :value [[:write :x 1] [:write :y 2]]}', '{:process 1, :type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]]}', `{:process 1, :type :ok, :f :txn, :value [[:read :x ${x}] [:read :y nil]]}`);
    expect(run(h('1'))).toEqual({ model: 'multi-register', valid: true });
    expect(run(h('nil'))).toEqual({ model: 'multi-register', valid: true });
    expect(run(h('3'))).toEqual({ model: 'multi-register', valid: false });
  });
});
