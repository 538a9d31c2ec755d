// `npm run bench:check-memory [-- --mb 200]`: writes a valid counter history of about that many
// megabytes (JSONL), then runs `tenrec check` on it as a user would and reports the peak RSS of
// the checking process next to the file's size: reading in pieces, memory follows the events
// kept, not the bytes read. Also a file past V8's longest string (about 512 MB) with --mb 600.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const targetBytes = Number(arg('mb', '200')) * 1e6;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-bench-mem-'));
const file = path.join(dir, 'big.jsonl');

// 20 processes over 50 keys, each op completing before its process's next: valid by construction.
const fd = fs.openSync(file, 'w');
let written = 0;
let time = 0;
const counters = new Array<number>(50).fill(0);
let batch: string[] = [];
for (let i = 0; written < targetBytes; i++) {
  const p = i % 20;
  const k = (i * 7) % 50;
  const read = i % 2 === 1;
  const key = `k${k}`;
  if (read) {
    batch.push(`{"process":${p},"type":"invoke","f":"read","key":"${key}","value":null,"time":${time++}}`);
    batch.push(`{"process":${p},"type":"ok","f":"read","key":"${key}","value":${counters[k]},"time":${time++}}`);
  } else {
    counters[k]!++;
    batch.push(`{"process":${p},"type":"invoke","f":"inc","key":"${key}","value":1,"time":${time++}}`);
    batch.push(`{"process":${p},"type":"ok","f":"inc","key":"${key}","value":${counters[k]},"time":${time++}}`);
  }
  if (batch.length >= 10_000) {
    const text = batch.join('\n') + '\n';
    fs.writeSync(fd, text);
    written += Buffer.byteLength(text);
    batch = [];
  }
}
if (batch.length) fs.writeSync(fd, batch.join('\n') + '\n');
fs.closeSync(fd);
const size = fs.statSync(file).size;

const bin = path.resolve(import.meta.dirname, '../bin/tenrec.js');
const t0 = Date.now();
const child = spawn(process.execPath, [bin, 'check', '--timeout', '600', file], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (d: Buffer) => (out += d.toString()));
let peakKb = 0;
const poll = setInterval(() => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (m) peakKb = Math.max(peakKb, Number(m[1]));
  } catch { /* exited */ }
}, 50);
const code: number = await new Promise((r) => child.on('exit', (c) => r(c ?? -1)));
clearInterval(poll);
fs.rmSync(dir, { recursive: true, force: true });
console.log(out.trim());
console.log(`file ${(size / 1e6).toFixed(0)} MB · exit ${code} · ${((Date.now() - t0) / 1000).toFixed(1)} s · peak RSS ${(peakKb / 1024).toFixed(0)} MB · load ${os.loadavg()[0]!.toFixed(2)}`);
process.exit(code === 0 ? 0 : 1);
