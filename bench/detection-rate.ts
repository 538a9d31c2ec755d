// Detection rate: for each bug, how many of N seeds make `tenrec test` exit 1 (invalid).
// Usage: node --import tsx bench/detection-rate.ts [--seeds 20] [--time-limit 20] [--bugs a,b] [--results-dir D]
//        [--nemesis-interval S] [--concurrency C] [--rate R] [--first-seed 1]
// Each run is `tenrec test --bug NAME`: the nemesis, interval, load, op timeout and failpoints
// that expose the bug (its catchWith); --nemesis-interval, --concurrency and --rate override
// them for every bug. Prints one line per run and a table.
import { runTest } from '../src/runner/run-test.ts';
import { BUG_NAMES, type BugName } from '../src/systems/paxos/types.ts';
import { paxosSystem } from '../src/systems/paxos/system.ts';
import type { SwitchableBug } from '../src/system/system.ts';

/** What catches each bug best: the Paxos system's own table (src/systems/paxos/system.ts). */
const DETECTION = Object.fromEntries(paxosSystem.bugs.map((b) => [b.name, b.catchWith!])) as Record<BugName, NonNullable<SwitchableBug['catchWith']>>;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const seeds = Number(arg('seeds', '20'));
const timeLimit = Number(arg('time-limit', '20'));
const firstSeed = Number(arg('first-seed', '1'));
const bugs = arg('bugs', BUG_NAMES.join(',')).split(',') as BugName[];
const resultsDir = arg('results-dir', 'results');
const intervalFlag = arg('nemesis-interval', '');
const concurrencyFlag = arg('concurrency', '');
const rateFlag = arg('rate', '');

const table: string[] = [];
for (const bug of bugs) {
  const c = DETECTION[bug];
  const concurrency = concurrencyFlag ? Number(concurrencyFlag) : (c.concurrency ?? 10);
  const rate = rateFlag ? Number(rateFlag) : (c.rate ?? 200);
  const interval = intervalFlag ? Number(intervalFlag) : (c.nemesisInterval ?? 5);
  const nemesis = `${c.nemesis.join(',')}${c.failpoints ? ` (${c.failpoints.join(',')})` : ''}, interval ${interval} s`;
  let invalid = 0;
  let unknown = 0;
  let ran = 0;
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    try {
      const o = await runTest({ bug, seed, timeLimit, nemesisInterval: interval, concurrency, rate, resultsDir, progress: false, name: `detect-${bug}` });
      ran++;
      if (o.valid === false) invalid++;
      if (o.valid === 'unknown') unknown++;
      console.log(`${bug} seed ${seed}: ${o.valid === false ? 'INVALID' : o.valid === true ? 'valid' : 'unknown'} (${o.counts.ops} ops, faults ${JSON.stringify(o.counts.faults)}) ${o.dir}`);
    } catch (err) {
      console.log(`${bug} seed ${seed}: ERROR ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  table.push(`| \`${bug}\` | ${nemesis} | ${concurrency} / ${rate} | ${invalid}/${ran}${unknown ? ` (${unknown} unknown)` : ''} |`);
  console.log(table[table.length - 1]);
}
console.log(`\n| bug | nemesis | clients / rate | runs that exit 1 (${timeLimit} s each, seeds ${firstSeed}..${firstSeed + seeds - 1}) |\n|---|---|---|---|\n${table.join('\n')}`);
