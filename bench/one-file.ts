// `npm run bench:one-file -- FILE [--one-state] [--seconds S]`: checks one of
// Porcupine's kv files (test/corpus/porcupine/kv/FILE.txt, say c10-ok) or etcd logs
// (jepsen/etcd_016: a cas-register from null, as bench:checker reads them) over and over for S
// seconds (default 4) after a 1.5 s warm-up, and prints the mean and the best check. It is the
// tool for side-by-side comparisons of two versions of the checker: run it from both trees,
// alternating, and compare the best figures (docs/performance.md).
import { checkSync } from '../checker/check.ts';
import { loadCorpus } from './corpus.ts';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt === -1 ? 4 : Number(args[secondsAt + 1]);
const etcd = name?.startsWith('jepsen/') ?? false;
const wanted = etcd ? [`${name}.log`, name] : [`kv/${name}.txt`, `kv/${name}`];
const files = name === undefined ? [] : loadCorpus(etcd ? 'jepsen' : 'kv', (n) => wanted.includes(n));
if (files.length !== 1 || !(seconds > 0)) {
  const known = loadCorpus('kv').map((f) => f.name.replace(/^kv\/|\.txt$/g, ''));
  console.error(`usage: bench/one-file.ts FILE [--one-state] [--seconds S]; FILE is one of ${known.join(', ')}, or jepsen/etcd_NNN`);
  process.exit(2);
}
const file = files[0]!;
const opts = etcd ? { model: 'cas-register' as const, initial: null } : { model: 'kv' as const, partition: !args.includes('--one-state') };

let until = performance.now() + 1500;
while (performance.now() < until) checkSync(file.ops, opts);
let checks = 0;
let best = Infinity;
const t0 = performance.now();
until = t0 + seconds * 1000;
while (performance.now() < until) {
  const t = performance.now();
  const r = checkSync(file.ops, opts);
  best = Math.min(best, performance.now() - t);
  if (r.valid !== file.expected) throw new Error(`${file.name}: expected ${file.expected}, got ${r.valid}`);
  checks++;
}
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
console.log(`${file.name}${'partition' in opts && !opts.partition ? ' (one state)' : ''}: ${checks} checks, mean ${us((performance.now() - t0) / checks)}, best ${us(best)}`);
