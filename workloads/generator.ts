// Generators: small immutable values that say which operation comes next, and when.
// Modelled on Jepsen's generators: a generator is asked for an op with a context (the current time
// and a seeded random stream) and answers the op plus the generator to ask next time, `pending`
// (nothing yet, ask again at `until`), or `done`. Combinators wrap generators to add a mix, a rate
// (stagger), a time limit or a count limit. Being values, they can be replayed from the same seed.
import type { Rng } from './rng.ts';

/** An operation a worker should invoke. `node` pins it to one node (final reads); times are ns. */
export interface PlannedOp {
  f: string;
  key?: string;
  value: unknown;
  /** Do not invoke before this time (ns since the test start). */
  time: number;
  node?: number;
}

export interface GenContext {
  /** Now, in ns since the test start. */
  time: number;
  rng: Rng;
}

export type GenStep =
  | { kind: 'op'; op: PlannedOp; next: Generator }
  | { kind: 'pending'; until: number; next: Generator }
  | { kind: 'done' };

export interface Generator {
  step(ctx: GenContext): GenStep;
}

/** An op template: f, key and value, drawn fresh each time (a random key, a random value). */
export type OpTemplate = (rng: Rng) => Omit<PlannedOp, 'time'>;

/** Forever the same kind of op, invoked as soon as asked. */
export function repeat(template: OpTemplate): Generator {
  const gen: Generator = {
    step: (ctx) => ({ kind: 'op', op: { ...template(ctx.rng), time: ctx.time }, next: gen }),
  };
  return gen;
}

/** A weighted random choice among generators each time an op is asked for. */
export function mix(choices: readonly { weight: number; gen: Generator }[]): Generator {
  const total = choices.reduce((s, c) => s + c.weight, 0);
  if (choices.length === 0 || total <= 0) throw new Error('mix needs at least one positive weight');
  const step = (current: readonly { weight: number; gen: Generator }[]) => (ctx: GenContext): GenStep => {
    let r = ctx.rng.next() * total;
    let i = 0;
    while (i < current.length - 1 && r >= current[i]!.weight) {
      r -= current[i]!.weight;
      i++;
    }
    const s = current[i]!.gen.step(ctx);
    if (s.kind === 'done') return { kind: 'done' };
    const updated = current.map((c, j) => (j === i ? { weight: c.weight, gen: s.next } : c));
    const next: Generator = { step: step(updated) };
    return s.kind === 'op' ? { kind: 'op', op: s.op, next } : { kind: 'pending', until: s.until, next };
  };
  return { step: step(choices) };
}

/**
 * Spaces ops by a random gap in [0, 2·meanNs) (mean `meanNs`): `stagger(1e9 / rate)` gives `rate`
 * ops/s overall, however many workers share the generator. Gaps accumulate from the previous op's
 * scheduled time, so a late worker does not lower the rate that follows.
 */
export function stagger(meanNs: number, gen: Generator, nextAt?: number): Generator {
  return {
    step(ctx) {
      const at = nextAt ?? ctx.time;
      if (ctx.time < at) return { kind: 'pending', until: at, next: stagger(meanNs, gen, at) };
      const s = gen.step(ctx);
      if (s.kind !== 'op') return s.kind === 'done' ? s : { ...s, next: stagger(meanNs, s.next, at) };
      const gap = Math.floor(ctx.rng.next() * 2 * meanNs);
      return { kind: 'op', op: { ...s.op, time: Math.max(s.op.time, at) }, next: stagger(meanNs, s.next, at + gap) };
    },
  };
}

/** Ends the generator once `untilNs` (absolute, ns since test start) has passed. */
export function timeLimit(untilNs: number, gen: Generator): Generator {
  return timeLimitOr(untilNs, () => false, gen);
}

/**
 * Like timeLimit, but past `untilNs` it keeps going for as long as `holdOpen()` is true: how the
 * runner keeps the load on until a fault that started late has had its turn. The one combinator
 * that looks at the world; with a `holdOpen` that is always false it is timeLimit exactly.
 */
export function timeLimitOr(untilNs: number, holdOpen: () => boolean, gen: Generator): Generator {
  const over = (t: number) => t >= untilNs && !holdOpen();
  return {
    step(ctx) {
      if (over(ctx.time)) return { kind: 'done' };
      const s = gen.step(ctx);
      if (s.kind === 'done') return s;
      if (s.kind === 'op' && over(s.op.time)) return { kind: 'done' };
      const next = timeLimitOr(untilNs, holdOpen, s.next);
      if (s.kind === 'pending') return { kind: 'pending', until: ctx.time < untilNs ? Math.min(s.until, untilNs) : s.until, next };
      return { ...s, next };
    },
  };
}

/** At most `n` ops. */
export function limit(n: number, gen: Generator): Generator {
  return {
    step(ctx) {
      if (n <= 0) return { kind: 'done' };
      const s = gen.step(ctx);
      if (s.kind === 'done') return s;
      return { ...s, next: limit(s.kind === 'op' ? n - 1 : n, s.next) } as GenStep;
    },
  };
}

/** Exactly these ops, in order, each as soon as asked. */
export function sequence(ops: readonly Omit<PlannedOp, 'time'>[]): Generator {
  const at = (i: number): Generator => ({
    step: (ctx) => (i >= ops.length ? { kind: 'done' } : { kind: 'op', op: { ...ops[i]!, time: ctx.time }, next: at(i + 1) }),
  });
  return at(0);
}

/**
 * Draws ops from a generator in a simulated clock where each op is invoked at its scheduled time
 * (no worker is ever busy): what the ops of a run would be. For tests and previews.
 */
export function drain(gen: Generator, rng: Rng, startNs = 0, max = 1_000_000): PlannedOp[] {
  const out: PlannedOp[] = [];
  let now = startNs;
  let g = gen;
  while (out.length < max) {
    const s = g.step({ time: now, rng });
    if (s.kind === 'done') break;
    g = s.next;
    if (s.kind === 'pending') now = Math.max(now + 1, s.until);
    else {
      out.push(s.op);
      now = Math.max(now, s.op.time);
    }
  }
  return out;
}
