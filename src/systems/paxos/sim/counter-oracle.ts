// A quick, sound (not complete) test of a counter history, independent of the checker: with
// increments of +1 and values read back, a linearizable history must satisfy
//   - an op that starts after another ended sees a value at least as large (larger for an inc),
//   - no op sees more than the increments invoked before it returned,
//   - no two increments report the same value after them.
// Any breach is a real violation; the full checker may find more.
import type { HistoryEvent } from '../../../../checker/types.ts';

interface Op {
  f: string;
  key: string;
  call: number;
  ret: number;
  value: number | null;
  delta: number;
  ok: boolean;
  line: number;
}

export function counterOracle(history: HistoryEvent[]): string | null {
  const open = new Map<string | number, Op>();
  const byKey = new Map<string, Op[]>();
  history.forEach((e, line) => {
    if (e.process === 'nemesis') return;
    if (e.type === 'invoke') {
      const op: Op = { f: e.f, key: e.key ?? '', call: e.time, ret: Infinity, value: null, delta: typeof e.value === 'number' ? e.value : 0, ok: false, line: line + 1 };
      open.set(e.process, op);
      const list = byKey.get(op.key) ?? [];
      list.push(op);
      byKey.set(op.key, list);
      return;
    }
    const op = open.get(e.process);
    if (!op) return;
    open.delete(e.process);
    if (e.type === 'ok') {
      op.ok = true;
      op.ret = e.time;
      op.value = typeof e.value === 'number' ? e.value : null;
    } else if (e.type === 'fail') {
      op.delta = 0; // surely did not happen
    }
  });
  for (const [key, ops] of byKey) {
    const done = ops.filter((o) => o.ok && o.value !== null);
    const seen = new Map<number, Op>();
    for (const o of done) {
      if (o.f !== 'inc') continue;
      const prev = seen.get(o.value!);
      if (prev) return `key ${key}: two increments both returned ${o.value} (history lines ${prev.line} and ${o.line})`;
      seen.set(o.value!, o);
    }
    // Before each op's call: the largest value of an op that had already returned.
    const byRet = [...done].sort((a, b) => a.ret - b.ret);
    const byCall = [...done].sort((a, b) => a.call - b.call);
    let i = 0;
    let best: Op | null = null;
    for (const o of byCall) {
      while (i < byRet.length && byRet[i]!.ret < o.call) {
        if (!best || byRet[i]!.value! > best.value!) best = byRet[i]!;
        i++;
      }
      if (best && (o.value! < best.value! || (o.f === 'inc' && o.value! === best.value!))) {
        return `key ${key}: ${o.f} at line ${o.line} saw ${o.value} after ${best.f} at line ${best.line} had already returned ${best.value} (stale)`;
      }
    }
    // No op may see more than the increments invoked before it returned.
    const calls = ops.filter((o) => o.f === 'inc').sort((a, b) => a.call - b.call);
    const byRet2 = [...done].sort((a, b) => a.ret - b.ret);
    let j = 0;
    let sum = 0;
    for (const o of byRet2) {
      while (j < calls.length && calls[j]!.call < o.ret) sum += calls[j++]!.delta;
      if (o.value! > sum) {
        return `key ${key}: ${o.f} at line ${o.line} saw ${o.value}, but only ${sum} was ever added before it returned (an increment applied twice?)`;
      }
    }
  }
  return null;
}
