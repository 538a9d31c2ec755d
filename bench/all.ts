// `npm run bench`: every benchmark in sequence (checker, cluster, runner), each in its own
// process so one's warm-up or leftovers cannot skew the next. Prints their figures as they come.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
let failed = 0;
for (const name of ['checker', 'cluster', 'runner', 'report']) {
  const file = path.join(here, `${name}.ts`);
  if (!fs.existsSync(file)) {
    console.log(`\n== ${name}: bench/${name}.ts does not exist yet, skipped ==`);
    continue;
  }
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`bench/${name}.ts exited ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
