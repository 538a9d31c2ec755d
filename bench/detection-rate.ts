// Detection rate: for each bug, how many of N seeds make `tenrec test` exit 1 (invalid).
// Usage: node --import tsx bench/detection-rate.ts [--seeds 20] [--time-limit 20] [--bugs a,b] [--results-dir D]
//        [--nemesis-interval 2] [--concurrency C] [--rate R] [--first-seed 1]
// Each bug runs with the nemesis and load that expose it (DETECTION below; --concurrency and
// --rate override the load for every bug). Prints one line per run and a table.
import { runTest } from '../src/runner/run-test.ts';
import { BUG_NAMES, type BugName } from '../src/systems/paxos/types.ts';
import type { FaultKind } from '../nemesis/fault.ts';

export interface DetectionSetting {
  nemesis: FaultKind[];
  concurrency: number;
  rate: number;
}

/**
 * Stale or duplicated answers show best with many ops in flight; a lost commit shows best at
 * the default load, where the commit index often waits for the next heartbeat to reach the
 * followers, so more of what the dead leader acknowledged was still unknown to them.
 */
export const DETECTION: Record<BugName, DetectionSetting> = {
  'local-read': { nemesis: ['partition'], concurrency: 30, rate: 1000 },
  // A paused leader leaves increments in flight; the client resends them (same ids) elsewhere,
  // and the next leader's recovery also chooses the first copies it finds accepted.
  'no-dedup': { nemesis: ['pause'], concurrency: 30, rate: 1000 },
  'ack-before-fsync': { nemesis: ['power-loss'], concurrency: 30, rate: 1000 },
  'leader-skips-recovery': { nemesis: ['kill'], concurrency: 10, rate: 200 },
  'read-before-noop': { nemesis: ['kill'], concurrency: 30, rate: 1000 },
  // Two leaders at once (a partition) and an acceptor that restarts (a kill) between them.
  'promise-not-persisted': { nemesis: ['kill', 'partition'], concurrency: 10, rate: 200 },
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
const interval = Number(arg('nemesis-interval', '2'));
const concurrencyFlag = arg('concurrency', '');
const rateFlag = arg('rate', '');

const table: string[] = [];
for (const bug of bugs) {
  const { nemesis } = DETECTION[bug];
  const concurrency = concurrencyFlag ? Number(concurrencyFlag) : DETECTION[bug].concurrency;
  const rate = rateFlag ? Number(rateFlag) : DETECTION[bug].rate;
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
  table.push(`| \`${bug}\` | ${nemesis.join(',')} | ${concurrency} / ${rate} | ${invalid}/${ran}${unknown ? ` (${unknown} unknown)` : ''} |`);
  console.log(table[table.length - 1]);
}
console.log(`\n| bug | nemesis | clients / rate | runs that exit 1 (${timeLimit} s each, interval ${interval} s, seeds ${firstSeed}..${firstSeed + seeds - 1}) |\n|---|---|---|---|\n${table.join('\n')}`);
