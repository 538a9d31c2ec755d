// The Wing & Gong / Lowe search (as in Porcupine), depth first over the entry list, with a
// visited cache of (linearized set, state), plus three rules of our own. Each rule may only
// skip work that provably cannot change the verdict:
//
// R1 (forced observers). If an ok op o that never changes the state where it is legal (a read
//   that matches, a cas whose compare failed) is a candidate (its call precedes every pending
//   return) and is legal in state s, linearize it now and never try anything else here.
//   Sound: we only ever build real linearizations. Complete: take any successful continuation
//   σ from here; o is in σ; moving o to the front keeps real-time order (o's call precedes the
//   return of every op still pending) and keeps every step legal (o is legal in s and leaves
//   s unchanged; where it stood in σ it was a no-op, so removing it changes no later state).
//   So if "o first" fails, every continuation fails: this configuration is dead.
//   Taking such ops first also removes them from branching at every later choice point.
//   Forced configurations are not put in the visited cache: they never branch, so reaching one
//   again costs only its forced chain until the next cached configuration (the cache is a
//   deduplication only; leaving entries out never changes a verdict).
//
// R2 (ops of unknown outcome are never needed). The search succeeds as soon as every ok op is
//   linearized; pending `info` ops are read as "never took effect". Sound: an info op may never
//   take effect. Complete: a full linearization restricted to its ok ops and the info ops
//   placed so far is a valid prefix of itself, and all remaining info ops can be dropped
//   (equivalently, placed last, where nothing observes them).
//
// R3 (no-op info ops are dominated). An info op that would leave the state unchanged here (a
//   crashed cas whose compare fails, a crashed write of the current value) is not tried.
//   Complete: any continuation from (S+o, s) is also one from (S, s) with o dropped (R2).
//
// R4 (unreachable observations). When the model knows where states can go (Model.reach:
//   e.g. with only appends a key's value only grows), a configuration where some candidate ok
//   op can never become legal again is dead: that op must still be linearized, and no sequence
//   of ops leads to a state that allows it. Sound: we prune only configurations with no
//   successful continuation (given the model's promise that `false` means "never"). Complete:
//   same argument; no witness passes through a dead configuration.
//
// R5 (interchangeable info ops). Info ops with the same effect (Model.opKey) differ only in
//   their call times, and they never return; of those already called, only the earliest
//   pending one is tried. Complete: in any witness using a later one b while an earlier a is
//   pending, swap a and b (a's call ≤ b's ≤ b's place; b takes a's later place, or never).
//   Hence the placed ops of a class are always its earliest ones, and the cache needs only a
//   count per class.
//
// Heuristic: ok candidates are tried before info ones (info ops never block anything, so
// deferring them keeps the search on the ops the real-time order forces), and observers before
// everything (R1).
import { TooManyStates, type Problem } from './problem.ts';
import { LinearizedSet } from './bitset.ts';
import { VisitedSet } from './cache.ts';
import { NIL, buildEntryList, relink, unlink } from './entry-list.ts';

export interface SearchLimits {
  /** performance.now() value after which the search gives up with 'timeout'. */
  deadline?: number;
  /** Cap on the visited cache, bytes; reaching it gives up with 'memory'. */
  maxBytes?: number;
  /** Checked now and then; true ends the search with 'cancelled'. */
  cancelled?: () => boolean;
  /** Give up after this many search steps with reason 'budget' (lets callers interleave partitions). */
  maxTicks?: number;
  /** Record, per op, the longest partial linearization containing it (for the HTML view). */
  trackPartials?: boolean;
}

export type SearchOutcome =
  | { valid: true; order: Int32Array }
  | { valid: 'unknown'; reason: 'timeout' | 'memory' | 'cancelled' | 'budget'; limit?: string }
  | {
      valid: false;
      /** Longest linearizable prefix found (search op numbers, in order). */
      prefix: number[];
      /** State after it. */
      state: number;
      /** Ops that could come next after the prefix (none of them works). */
      candidates: number[];
      /** The pending ok op that returns first after the prefix: everything blocks on it. */
      blocking: number;
      partials?: Map<number, number[]>;
    };

const PHASE_OK = 0;
const PHASE_INFO = 1;
const FORCED = 2;

export function search(p: Problem, limits: SearchLimits = {}): SearchOutcome {
  return startSearch(p, limits).resume(limits.maxTicks);
}

/**
 * A search that can stop after a number of steps and go on later where it stopped: partitions
 * take turns without redoing each other's work.
 */
export interface PausableSearch {
  /** Runs at most `maxTicks` more steps (unbounded without): 'budget' means "call again". */
  resume(maxTicks?: number): SearchOutcome;
}

export function startSearch(p: Problem, limits: Omit<SearchLimits, 'maxTicks'> = {}): PausableSearch {
  if (p.okCount === 0) return { resume: () => ({ valid: true, order: new Int32Array(0) }) };
  const step = run(p, limits);
  let done: SearchOutcome | undefined;
  return {
    resume(maxTicks) {
      if (done) return done;
      try {
        const r = step(maxTicks);
        if (r.valid !== 'unknown' || r.reason !== 'budget') done = r;
        return r;
      } catch (err) {
        if (!(err instanceof TooManyStates)) throw err;
        return (done = { valid: 'unknown', reason: 'memory', limit: `the model reached ${err.limit} distinct states (the cap that follows --memory)` });
      }
    },
  };
}

function run(p: Problem, limits: Omit<SearchLimits, 'maxTicks'>): (maxTicks?: number) => SearchOutcome {
  const n = p.ops.length;
  const okCount = p.okCount;
  const list = buildEntryList(p);
  const { next, head, classHead } = list;
  const classCount = p.classCount;
  const slab = p.slab;
  const set = new LinearizedSet(okCount, n, p, slab);
  const visited = new VisitedSet(set, n, slab);
  const readOnly = p.readOnly;
  const call = p.call;
  const ret = p.ret;
  const reach = p.reach;
  const need = p.need;
  const rescuers = p.rescuers;

  const stackOp = slab.int32(n);
  const stackState = slab.int32(n);
  const stackPhase = slab.uint8(n);
  const stackBlock = slab.int32(n);
  let depth = 0;

  let state = p.initial;
  let block = NIL; // the first return entry of the current configuration
  let cursor = NIL;
  let phase = PHASE_OK;
  let fresh = true;

  // The deepest dead end so far. Copying the whole stack at each new record would be quadratic
  // on long valid histories; entries below `untouched` have not changed since the last copy.
  let bestDepth = -1;
  let bestState = -1;
  let bestBlock = NIL;
  const bestPrefix = slab.int32(n);
  let untouched = 0;
  const partialLen = limits.trackPartials ? slab.int32(n, -1) : undefined;
  const partials = limits.trackPartials ? new Map<number, number[]>() : undefined;
  let partialDepth = 0;
  let partialLow = 0;

  // Methods destructured, not `const f = () => …`: tsx compiles with esbuild's keepNames,
  // which wraps each such closure in a defineProperty call (~0.3 µs) every time run() starts,
  // a cost a tiny partition feels (docs/performance.md, "The fixed cost of a check").
  const { rescuable, lift, unlift, push, recordDeadEnd, success, failure } = {
    rescuable(i: number): boolean {
      if (rescuers === undefined) return false;
      const r = rescuers(i);
      // From the end: the latest ops are the least likely to be placed already.
      for (let k = r.length - 1; k >= 0; k--) if (!set.has(r[k])) return true;
      return false;
    },
    lift(i: number) {
      unlink(list, 2 * i);
      if (i < okCount) unlink(list, 2 * i + 1);
    },
    unlift(i: number) {
      if (i < okCount) relink(list, 2 * i + 1);
      relink(list, 2 * i);
    },
    push(i: number, ph: number, ns: number) {
      stackOp[depth] = i;
      stackState[depth] = state;
      stackPhase[depth] = ph;
      stackBlock[depth] = block;
      depth++;
      lift(i);
      state = ns;
    },
    recordDeadEnd() {
      if (depth > bestDepth) {
        bestPrefix.set(stackOp.subarray(untouched, depth), untouched);
        bestDepth = depth;
        bestState = state;
        bestBlock = block;
        untouched = depth;
      }
      if (partialLen && partials) {
        // Ops below partialLow were on the stack at the last record, so their partial is at
        // least that long; unless this one is longer, only the ops pushed since need a look.
        const from = depth > partialDepth ? 0 : partialLow;
        partialDepth = depth;
        partialLow = depth;
        let snapshot: number[] | undefined;
        for (let d = from; d < depth; d++) {
          const i = stackOp[d];
          if (depth > partialLen[i]) {
            partialLen[i] = depth;
            snapshot ??= Array.from(stackOp.subarray(0, depth));
            partials.set(i, snapshot);
          }
        }
      }
    },
    /** `last` completed the set: it was added but not pushed. */
    success(last: number): SearchOutcome {
      const order = stackOp.slice(0, depth + 1);
      order[depth] = last;
      return { valid: true, order };
    },
    failure(): SearchOutcome {
      // A loop, not Array.from: that goes through the iterator protocol, a twentieth of a tiny check.
      const prefix: number[] = new Array(bestDepth);
      for (let k = 0; k < bestDepth; k++) prefix[k] = bestPrefix[k]!;
      const b = { prefix, state: bestState, block: bestBlock };
      // Rebuild the candidates at the best configuration: replay its prefix on the list.
      for (const i of b.prefix) lift(i);
      const candidates: number[] = [];
      for (let c = next[head]; c !== NIL && c !== b.block; c = next[c]) candidates.push(c >> 1);
      for (let k = 0; k < classCount; k++) {
        const x = next[classHead + k];
        if (x !== NIL && call[x >> 1] <= ret[b.block >> 1]) candidates.push(x >> 1);
      }
      return { valid: false, prefix: b.prefix, state: b.state, candidates, blocking: b.block >> 1, partials };
    },
  };

  let ticks = 0;
  // Every pause happens at the top of the loop, where the configuration is whole.
  return (maxTicks?: number): SearchOutcome => {
    const until = maxTicks === undefined ? Infinity : ticks + maxTicks;
    for (;;) {
      if ((++ticks & 1023) === 0) {
        if (ticks > until) return { valid: 'unknown', reason: 'budget' };
        if (limits.deadline !== undefined && performance.now() > limits.deadline) return { valid: 'unknown', reason: 'timeout' };
        if (limits.maxBytes !== undefined && visited.bytes > limits.maxBytes) {
          return { valid: 'unknown', reason: 'memory', limit: `the search cache reached ${megabytes(limits.maxBytes)} MB (--memory)` };
        }
        if (limits.cancelled?.()) return { valid: 'unknown', reason: 'cancelled' };
      }
      let dead = false;
      if (fresh) {
        fresh = false;
        // Candidates are the calls before the first return entry.
        let x = next[head];
        while (x !== NIL && (x & 1) === 0) x = next[x];
        block = x;
        // R4 then R1, in one pass over the candidates.
        let forcedOp = -1;
        let forcedState = -1;
        for (let c = next[head]; c !== block; c = next[c]) {
          const i = c >> 1;
          if (reach !== undefined && !reach(state, i) && !rescuable(i)) {
            dead = true;
            break;
          }
          if (forcedOp !== -1 || readOnly[i] === 0) continue;
          let needed = need[i];
          if (needed === -2) needed = p.meets(i, state);
          const ns = needed === -1 ? p.step(state, i) : needed === state ? state : -1;
          if (ns === -1) continue;
          forcedOp = i;
          forcedState = ns;
          if (reach === undefined) break;
        }
        let forced = false;
        if (!dead && forcedOp !== -1) {
          const i = forcedOp;
          set.add(i);
          if (set.okSize === okCount) return success(i);
          push(i, FORCED, forcedState);
          fresh = true;
          forced = true;
        }
        if (forced && !dead) continue;
        if (!dead) {
          cursor = next[head];
          phase = PHASE_OK;
        }
      }
      if (!dead) {
        let moved = false;
        while (!moved) {
          if (phase === PHASE_OK) {
            if (cursor === block) {
              phase = PHASE_INFO;
              cursor = 0; // in the info phase the cursor is a class number
              continue;
            }
            const i = cursor >> 1;
            cursor = next[cursor];
            if (readOnly[i] !== 0) continue; // R1 already tried it: illegal here
            const ns = p.step(state, i);
            if (ns === -1) continue;
            set.add(i);
            if (set.okSize === okCount) return success(i);
            if (visited.add(ns)) {
              push(i, PHASE_OK, ns);
              moved = true;
            } else set.remove(i);
          } else {
            if (cursor >= classCount) break;
            const x = next[classHead + cursor++];
            if (x === NIL || call[x >> 1] > ret[block >> 1]) continue;
            const i = x >> 1;
            const ns = p.step(state, i);
            if (ns === -1 || ns === state) continue; // R3
            set.add(i);
            if (visited.add(ns)) {
              push(i, PHASE_INFO, ns);
              moved = true;
            } else set.remove(i);
          }
        }
        if (moved) {
          fresh = true;
          continue;
        }
      }
      // This configuration is dead: back up to the last real choice.
      recordDeadEnd();
      for (;;) {
        if (depth === 0) return failure();
        depth--;
        if (depth < untouched) untouched = depth;
        if (depth < partialLow) partialLow = depth;
        const i = stackOp[depth];
        unlift(i);
        set.remove(i);
        state = stackState[depth];
        block = stackBlock[depth];
        const ph = stackPhase[depth];
        if (ph === FORCED) continue; // R1: nothing else to try here
        phase = ph;
        cursor = ph === PHASE_INFO ? p.infoClass[i] + 1 : next[2 * i];
        break;
      }
    }
  };
}

/** A cap in MB as the user gave it: `--memory 0.01` is 0.01, not 0. */
function megabytes(bytes: number): string {
  const mb = bytes / 2 ** 20;
  return mb >= 10 ? String(Math.round(mb)) : String(Number(mb.toPrecision(2)));
}
