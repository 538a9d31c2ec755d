// Porcupine beside tenrec in one run: point `--porcupine PATH` (or TENREC_PORCUPINE) at a
// program built against Porcupine (bench/porcupine-go/main.go is the one used for the figures in
// docs/performance.md; tenrec itself has no Go code), which takes `-warm -reps N FILE...`, where
// each file is the neutral JSONL written here (a header line, then one op per line), checks every
// file once untimed when given -warm, then prints one line per file (the best of N timings):
// {"file": F, "ms": M, "result": "Ok" | "Illegal" | "Unknown"}.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Operation } from '../checker/types.ts';

export interface PorcupineSet {
  model: 'register' | 'kv';
  /** Register start value; null is Porcupine's etcd "nil". */
  initial?: number | null;
  partition: boolean;
  timeoutS?: number;
  /** Best of this many timed checks per file (default 1). */
  reps?: number;
  /** Check the whole set once untimed first (default true; off for files that take minutes). */
  warm?: boolean;
  files: { name: string; ops: Operation[] }[];
}

export interface PorcupineTime {
  name: string;
  ms: number;
  result: 'Ok' | 'Illegal' | 'Unknown';
}

export function porcupinePath(argv: string[]): string | undefined {
  const i = argv.indexOf('--porcupine');
  return i >= 0 ? argv[i + 1] : process.env.TENREC_PORCUPINE || undefined;
}

function line(op: Operation): string {
  const unknown = op.status === 'info' || op.output === undefined;
  return JSON.stringify({
    c: op.process,
    call: op.call,
    ret: Number.isFinite(op.return) ? op.return : 0,
    key: op.key ?? '',
    f: op.f,
    in: op.input ?? null,
    out: op.output ?? null,
    unknown: unknown && !op.compareFailed,
    casok: op.f === 'cas' && !op.compareFailed,
  });
}

/** Times every file of the set with Porcupine (warmed up once on the whole set first). */
export function timePorcupine(bin: string, set: PorcupineSet): PorcupineTime[] {
  const dir = mkdtempSync(join(tmpdir(), 'tenrec-porcupine-'));
  try {
    const paths = set.files.map((f, i) => {
      const p = join(dir, `${i}.jsonl`);
      const header = { model: set.model, initial: set.initial ?? null, partition: set.partition, timeout: set.timeoutS ?? 0 };
      writeFileSync(p, [JSON.stringify(header), ...f.ops.map(line)].join('\n') + '\n');
      return p;
    });
    const out = execFileSync(bin, [...(set.warm === false ? [] : ['-warm']), '-reps', String(set.reps ?? 1), ...paths], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const rows = out.trim().split('\n').map((l) => JSON.parse(l) as { ms: number; result: PorcupineTime['result'] });
    return rows.map((r, i) => ({ name: set.files[i].name, ms: r.ms, result: r.result }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
