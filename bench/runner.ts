// Runner benchmark: the ops/s `tenrec test` sustains against the real 3-node cluster (no faults,
// an open-loop rate far above what the cluster serves, so the closed loop of C clients is the
// limit) and the runner's own CPU share over the main phase. If the runner used most of a core
// it would be the bottleneck; a small share means the cluster is.
// Usage: node --import tsx bench/runner.ts [--seconds 10]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTest } from '../src/runner/run-test.ts';

const i = process.argv.indexOf('--seconds');
const seconds = i >= 0 ? Number(process.argv[i + 1]) : 10;
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-bench-runner-'));

console.log(`runner bench: 3 nodes, counter over 8 keys, no nemesis, ${seconds} s per setting, ${os.cpus().length} cores`);
console.log('| clients | ops/s | runner CPU (share of one core) | ok | fail | info |');
console.log('|---|---|---|---|---|---|');
try {
  for (const concurrency of [10, 32, 64]) {
    const o = await runTest({
      nemesis: [], concurrency, rate: 100_000, keys: 8, timeLimit: seconds, seed: 1, quiesce: 0, check: false, resultsDir, progress: false,
      name: `bench-c${concurrency}`,
    });
    const p = o.perf;
    console.log(`| ${concurrency} | ${p.opsPerSec.toFixed(0)} | ${(p.cpuShare * 100).toFixed(1)} % (${(p.cpuMs / 1000).toFixed(1)} s CPU in ${(p.wallMs / 1000).toFixed(1)} s) | ${o.counts.ok} | ${o.counts.fail} | ${o.counts.info} |`);
  }
} finally {
  fs.rmSync(resultsDir, { recursive: true, force: true });
}
