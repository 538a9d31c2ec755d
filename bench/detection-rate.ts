// Detection rate: for each bug, how many of N seeds make `tenrec test` exit 1 (invalid).
// Usage: node --import tsx bench/detection-rate.ts [--seeds 20] [--time-limit 20] [--bugs a,b] [--results-dir D]
//        [--nemesis-interval 3] [--concurrency 10] [--rate 200] [--first-seed 1]
// Each bug runs with the nemesis that exposes it (see NEMESIS_FOR). Prints one line per run and a table.
import { runTest } from '../src/runner/run-test.ts';
import { BUG_NAMES, type BugName } from '../src/paxos/types.ts';
import type { FaultKind } from '../nemesis/fault.ts';

export const NEMESIS_FOR: Record<BugName, FaultKind[]> = {
  'local-read': ['partition'],
  'leader-skips-recovery': ['kill'],
  'promise-not-persisted': ['kill'],
  'ack-before-fsync': ['power-loss'],
  'no-dedup': ['partition'],
  'read-before-noop': ['kill'],
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const seeds = Number(arg('seeds', '20'));
const timeLimit = Number(arg('time-limit', '20'));
const firstSeed = Number(arg('first-seed', '1'));
const bugs = arg('bugs', BUG_NAMES.join(',')).split(',') as BugName[];
const resultsDir = arg('results-dir', 'results');
const interval = Number(arg('nemesis-interval', '3'));
const concurrency = Number(arg('concurrency', '10'));
const rate = Number(arg('rate', '200'));

const table: string[] = [];
for (const bug of bugs) {
  const nemesis = NEMESIS_FOR[bug];
  let invalid = 0;
  let unknown = 0;
  let ran = 0;
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    try {
      const o = await runTest({ bug, nemesis, seed, timeLimit, nemesisInterval: interval, concurrency, rate, resultsDir, progress: false, name: `detect-${bug}` });
      ran++;
      if (o.valid === false) invalid++;
      if (o.valid === 'unknown') unknown++;
      console.log(`${bug} seed ${seed}: ${o.valid === false ? 'INVALID' : o.valid === true ? 'valid' : 'unknown'} (${o.counts.ops} ops, faults ${JSON.stringify(o.counts.faults)}) ${o.dir}`);
    } catch (err) {
      console.log(`${bug} seed ${seed}: ERROR ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  table.push(`| ${bug} | ${nemesis.join(',')} | ${invalid}/${ran}${unknown ? ` (${unknown} unknown)` : ''} |`);
  console.log(table[table.length - 1]);
}
console.log(`\n| bug | nemesis | runs that exit 1 (${timeLimit} s each, seeds ${firstSeed}..${firstSeed + seeds - 1}) |\n|---|---|---|\n${table.join('\n')}`);
