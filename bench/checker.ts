// `npm run bench:checker`: how long checking takes (after parsing), by file class, with
// Porcupine timed on the same histories in the same run when `--porcupine PATH` (or
// TENREC_PORCUPINE) names a Porcupine program (see bench/porcupine-side.ts), then a scale series
// of generated keyed histories. Times are the best of several checks after a warm-up (the
// machine is shared: the best is the least disturbed), with the load average printed beside.
// Each class runs in a process of its own, as Porcupine's program is started once per class and
// as `tenrec check` checks one model per run: V8 tunes code to what it has run, and a process
// that checked register histories first checks kv ones 10-30% slower.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { check, checkSync, type CheckOptions } from '../checker/check.ts';
import type { Operation } from '../checker/types.ts';
import { loadCorpus, type CorpusFile } from './corpus.ts';
import { generateHistory } from './generate-history.ts';
import { porcupinePath, timePorcupine, type PorcupineSet } from './porcupine-side.ts';

const porcupine = porcupinePath(process.argv);
const quick = process.argv.includes('--quick'); // skips the hard single-key case and the 1M-op run

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Checks a file alone over and over for `warmMs` (see WARM_MS: in a class warmed together, a
 * 10 µs file gets a few hundred runs in the time its 15 ms neighbour takes, and its own paths,
 * such as the evidence of an invalid key, are still not compiled well: c01-bad timed 15 µs after
 * 1,000 runs, 9 µs after 20,000); returns the mean time of a check.
 */
const FILE_WARM_MS = 300;
function warmAlone(ops: Operation[], opts: CheckOptions, warmMs = FILE_WARM_MS): number {
  const t0 = performance.now();
  let runs = 0;
  for (; performance.now() < t0 + warmMs; runs++) checkSync(ops, opts);
  return (performance.now() - t0) / Math.max(1, runs);
}

/** Best wall time of `reps` checks (after one untimed), verdict asserted. */
function best(ops: Operation[], opts: CheckOptions, expected: boolean, name: string, reps: number): number {
  let b = Infinity;
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now();
    const res = checkSync(ops, opts);
    const ms = performance.now() - t0;
    if (res.valid !== expected) throw new Error(`${name}: expected ${expected}, got ${res.valid}`);
    if (r > 0) b = Math.min(b, ms);
  }
  return b;
}

/** How many checks each side gets for a file, and the bounds. */
interface RepsRule {
  /** Enough checks to fill about this long on the slower side... */
  budgetMs: number;
  /** ...but no fewer than this and no more than that. */
  min: number;
  max: number;
}
/**
 * Tiny files get many checks: on this shared machine a best of 100 checks of 0.3 ms often met
 * no quiet moment (one file's best came out 0.27-0.48 ms over four runs, against 0.23 ms from
 * thousands of checks). Both sides get the same number, set by the slower side's time per check
 * (Porcupine's from one untimed check).
 */
const KV_REPS: RepsRule = { budgetMs: 1000, min: 100, max: 10_000 };
const ETCD_REPS: RepsRule = { budgetMs: 100, min: 20, max: 1000 };

/**
 * One file timed on both sides with the same number of checks (Porcupine's program started for
 * it alone), in two rounds, each side's best kept: a side timed just after the other one ran
 * sometimes came out 1.5-2x its best (a pause in between made it worse, not better).
 */
function timeFile(f: CorpusFile, opts: CheckOptions, set: Omit<PorcupineSet, 'files' | 'reps'>, rule: RepsRule, warmMs = FILE_WARM_MS) {
  const perCheck = warmAlone(f.ops, opts, warmMs);
  const rough = rule.min === rule.max ? 0 : (theirs({ ...set, reps: 1 }, [f], [f.expected])?.[0] ?? 0);
  const reps = Math.max(rule.min, Math.min(rule.max, Math.ceil(rule.budgetMs / Math.max(perCheck, Number.isFinite(rough) ? rough : 0))));
  let ours = Infinity;
  let their: number | undefined;
  for (let round = 0; round < (porcupine ? 2 : 1); round++) {
    ours = Math.min(ours, best(f.ops, opts, f.expected, f.name, reps));
    const t = theirs({ ...set, reps }, [f], [f.expected])?.[0];
    if (t !== undefined) their = Math.min(their ?? Infinity, t);
  }
  return { ours, their, reps };
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

/**
 * V8 compiles a function well only after it has run many times, and a class of files exercises
 * its own paths (the kv model, the evidence of an invalid key): each class is checked over and
 * over, untimed, for this long before its timings, as Porcupine's Go is compiled before it runs.
 * What a first check costs, before that, is printed separately.
 */
const WARM_MS = 1500;
function warm(files: { ops: Operation[] }[], opts: CheckOptions): number {
  const first = files.map((f) => {
    const t0 = performance.now();
    checkSync(f.ops, opts);
    return performance.now() - t0;
  });
  const until = performance.now() + WARM_MS;
  while (performance.now() < until) for (const f of files) checkSync(f.ops, opts);
  return median(first);
}

const ms = (x: number) => (x < 1 ? `${x.toFixed(3)} ms` : x < 1000 ? `${x.toFixed(1)} ms` : `${(x / 1000).toFixed(2)} s`);

/** Porcupine's times for the set, or undefined without a Porcupine program. */
function theirs(set: Omit<PorcupineSet, 'files'>, files: { name: string; ops: Operation[] }[], expected: boolean[]): number[] | undefined {
  if (!porcupine) return undefined;
  const rows = timePorcupine(porcupine, { ...set, files });
  rows.forEach((r, i) => {
    const want = expected[i] ? 'Ok' : 'Illegal';
    if (r.result !== want && r.result !== 'Unknown') throw new Error(`Porcupine: ${r.name}: expected ${want}, got ${r.result}`);
  });
  return rows.map((r) => (r.result === 'Unknown' ? Infinity : r.ms));
}

function row(label: string, ours: number, their: number | undefined, note = '') {
  const ratio = their === undefined ? '' : their === Infinity ? '  Porcupine gave up' : `  ${(their / ours).toFixed(1)}x`;
  console.log(`  ${label.padEnd(34)} tenrec ${ms(ours).padStart(10)}   Porcupine ${their === undefined ? '-'.padStart(10) : their === Infinity ? 'unknown'.padStart(10) : ms(their).padStart(10)}${ratio}${note}`);
}

const classes: Record<string, () => Promise<void> | void> = {};

classes.etcd = () => {
  console.log(`\nmany tiny files: 102 etcd logs (cas-register from null, 73-90 ops each), best of as many checks per file as fill ${ETCD_REPS.budgetMs} ms (${ETCD_REPS.min} to ${ETCD_REPS.max}) on both sides`);
  const files = loadCorpus('jepsen');
  const opts: CheckOptions = { model: 'cas-register', initial: null };
  const cold = warm(files, opts);
  // 102 files: a shorter warm-up each (they share most paths; with 20 ms, one or two files a run
  // timed 1.5-2x their best from thousands of checks).
  const rows = files.map((f) => timeFile(f, opts, { model: 'register', initial: null, partition: false }, ETCD_REPS, 100));
  const ours = rows.map((r) => r.ours);
  const their = porcupine ? rows.map((r) => r.their!) : undefined;
  row('median file', median(ours), their && median(their));
  row('all 102 files', ours.reduce((a, b) => a + b, 0), their?.reduce((a, b) => a + b, 0));
  if (their) {
    const slower = files.flatMap((f, i) => (their[i]! < ours[i]! ? [`${f.name} (${ms(ours[i]!)} against ${ms(their[i]!)}, best of ${rows[i]!.reps})`] : []));
    console.log(`  files where Porcupine is faster: ${slower.length} of ${files.length}${slower.length ? `: ${slower.join(', ')}` : ''}`);
  }
  console.log(`  (the first check of each file, before the warm-up: median ${ms(cold)})`);
};

function eachFile(files: CorpusFile[], opts: CheckOptions, set: Omit<PorcupineSet, 'files' | 'reps'>, rule: (f: CorpusFile) => RepsRule) {
  for (const f of files) {
    const r = timeFile(f, opts, set, rule(f));
    row(`${f.name} (${f.ops.length} ops)`, r.ours, r.their, `  best of ${r.reps}`);
  }
}

classes.kv = () => {
  console.log(`\nPorcupine's kv files (partitioned by key), best of as many checks as fill ${KV_REPS.budgetMs / 1000} s (${KV_REPS.min} to ${KV_REPS.max}) on both sides; c50-bad is the invalid partitioned class`);
  const files: CorpusFile[] = loadCorpus('kv');
  const cold = warm(files, { model: 'kv' });
  eachFile(files, { model: 'kv' }, { model: 'kv', partition: true }, () => KV_REPS);
  console.log(`  (the first check of each file, before the warm-up: median ${ms(cold)})`);
};

classes['kv-one-state'] = () => {
  console.log(`\nc01 and c10 unpartitioned (one state for every key), c01 as the kv files, c10 best of 3`);
  const files = loadCorpus('kv', (n) => /c01|c10/.test(n));
  warm(files, { model: 'kv', partition: false });
  const three: RepsRule = { budgetMs: 0, min: 3, max: 3 };
  eachFile(files, { model: 'kv', partition: false }, { model: 'kv', partition: false }, (f) => (f.name.includes('c01') ? KV_REPS : three));
};

classes['easy-kv'] = () => {
  console.log('\neasy big kv: 100,000 ops, 20 clients, 50 keys, get/put/append, best of 3');
  const ops = generateHistory({ ops: 100_000, keys: 50, clients: 20, crashed: 0, flavour: 'kv', seed: 7 });
  warm([{ ops }], { model: 'kv' });
  warmAlone(ops, { model: 'kv' });
  const ours = best(ops, { model: 'kv' }, true, 'easy kv', 3);
  row('100k ops', ours, theirs({ model: 'kv', partition: true, reps: 3 }, [{ name: 'easy', ops }], [true])?.[0]);
};

classes.hard = () => {
  if (quick) return;
  console.log('\nhard single-key register: 2,000 ops, 20 clients, 20% reads, ops up to 20 ms long, 3% crashed; once each, Porcupine given 300 s');
  const ops = generateHistory({ ops: 2000, keys: 1, clients: 20, crashed: 0.03, reads: 0.2, maxDuration: 20_000_000, seed: 11 });
  const t0 = performance.now();
  const r = checkSync(ops, { model: 'cas-register' });
  const ours = performance.now() - t0;
  if (r.valid !== true) throw new Error(`hard single-key: expected true, got ${r.valid}`);
  row('2,000 ops, one key', ours, theirs({ model: 'register', initial: 0, partition: false, timeoutS: 300, warm: false }, [{ name: 'hard', ops }], [true])?.[0]);
};

classes.scale = async () => {
  console.log('\nscale: generated cas-register histories, 10 keys, 20 clients, 3% crashed (check(), worker threads from 300,000 ops)');
  for (const n of quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000]) {
    const ops = generateHistory({ ops: n, keys: 10, clients: 20, crashed: 0.03, seed: n });
    const c0 = cpuMs();
    const t0 = performance.now();
    const r = await check(ops, { model: 'cas-register' });
    const wall = performance.now() - t0;
    const cpu = cpuMs() - c0;
    const mem = process.memoryUsage();
    console.log(
      `  ${String(n).padStart(9)} ops  ${String(r.valid).padEnd(5)} ${ms(wall).padStart(10)} wall ${ms(cpu).padStart(10)} cpu` +
        `  peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, heap now ${(mem.heapUsed / 1e6).toFixed(0)} MB` +
        (r.valid === true ? '' : `  (${r.reason ?? 'invalid'}: generated histories are linearizable)`),
    );
  }
};

const only = process.argv.indexOf('--class');
if (only >= 0) {
  const run = classes[process.argv[only + 1] ?? ''];
  if (!run) throw new Error(`--class: one of ${Object.keys(classes).join(', ')}`);
  await run();
} else {
  console.log(`checker benchmark: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, node ${process.version}`);
  console.log(porcupine ? `Porcupine: ${porcupine} (best of the same number of checks, after a warm-up)` : 'Porcupine: not given (--porcupine PATH or TENREC_PORCUPINE; see docs/performance.md)');
  console.log('ratio = Porcupine time / tenrec time (above 1: tenrec faster); each class in a fresh process');
  for (const name of Object.keys(classes)) {
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--class', name], { stdio: 'inherit' });
  }
}
