// Synthetic keyed histories for the scale benchmark: clients run ops against a correct
// (linearizable) cas-register per key, each op taking effect at a random instant inside its
// interval; a few percent crash (outcome unknown: applied or not; the client comes back under
// a new process id, as Jepsen does).
import type { Operation } from '../checker/types.ts';

export interface GenerateOptions {
  ops: number;
  keys?: number;
  clients?: number;
  /** Fraction of ops that crash. */
  crashed?: number;
  /** Written values are drawn from 0..values-1. */
  values?: number;
  /** Fraction of reads (default 0.5); the rest are half writes, half cas (or appends, for kv). */
  reads?: number;
  /** Longest op, in ns (default 2 ms): longer ops overlap more, and the search has more to try. */
  maxDuration?: number;
  /** 'kv': Porcupine's kv ops (get/put/append of short strings) instead of read/write/cas. */
  flavour?: 'register' | 'kv';
  seed?: number;
}

export function generateHistory(o: GenerateOptions): Operation[] {
  const keys = o.keys ?? 10;
  const clients = o.clients ?? 20;
  const crashRate = o.crashed ?? 0.03;
  const values = o.values ?? 5;
  const reads = o.reads ?? 0.5;
  const maxDuration = o.maxDuration ?? 2_000_000;
  const kv = o.flavour === 'kv';
  let x = (o.seed ?? 42) >>> 0 || 1;
  const r = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(r() * n);

  const free = new Float64Array(clients); // when each client may invoke again (ns)
  const pid = Array.from({ length: clients }, (_, c) => c);
  let nextPid = clients;
  const ops: Operation[] = [];
  const points = new Float64Array(o.ops);
  for (let id = 0; id < o.ops; id++) {
    // The client that is free first goes next: invokes come in time order.
    let c = 0;
    for (let k = 1; k < clients; k++) if (free[k] < free[c]) c = k;
    const call = free[c] + int(1000);
    const duration = 50_000 + int(maxDuration);
    const crashed = r() < crashRate;
    const roll = r();
    const kind = roll < reads ? 0 : roll < reads + (1 - reads) / 2 ? 1 : 2;
    const f = kv ? ['get', 'put', 'append'][kind] : ['read', 'write', 'cas'][kind];
    const input = kind === 0 ? null : kv ? `x${int(values)} ` : kind === 1 ? int(values) : [int(values), int(values)];
    ops.push({
      id,
      number: id + 1,
      process: pid[c],
      f,
      key: `k${int(keys)}`,
      input,
      output: undefined,
      status: crashed ? 'info' : 'ok',
      call,
      return: crashed ? Infinity : call + duration,
      invokeIndex: id,
    });
    points[id] = crashed ? (r() < 0.5 ? call + int(duration * 2) : Infinity) : call + r() * duration;
    free[c] = call + duration + 1;
    if (crashed) pid[c] = nextPid++;
  }
  const order = Array.from(ops.keys()).sort((a, b) => points[a] - points[b]);
  const state = new Map<string, number>();
  const text = new Map<string, string>();
  for (const i of order) {
    const op = ops[i];
    if (points[i] === Infinity) continue;
    if (kv) {
      const t = text.get(op.key!) ?? '';
      if (op.f === 'get') op.output = t;
      else text.set(op.key!, op.f === 'put' ? (op.input as string) : t + (op.input as string));
      if (op.status === 'info') op.output = undefined;
      continue;
    }
    const v = state.get(op.key!) ?? 0;
    if (op.f === 'read') op.output = v;
    else if (op.f === 'write') {
      state.set(op.key!, op.input as number);
      op.output = op.input;
    } else {
      const [a, b] = op.input as [number, number];
      if (v === a) {
        state.set(op.key!, b);
        op.output = op.input;
      } else op.compareFailed = true;
    }
    if (op.status === 'info') op.output = undefined;
  }
  // A crashed read tells nothing (the pairing step drops those too); a crashed cas that
  // missed is just a crashed cas.
  return ops
    .filter((op) => !(op.status === 'info' && (op.f === 'read' || op.f === 'get')))
    .map((op, id) => {
      if (op.status === 'info') delete op.compareFailed;
      return { ...op, id, invokeIndex: id };
    });
}
