// Shared bits of the runner integration tests: temp results dirs and process liveness.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { procState } from '../../src/process/processes.ts';

export function tempResults(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-test-results-'));
}

/** Alive and not a zombie. */
export function alive(pid: number): boolean {
  return procState(pid) !== 'dead';
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(f: () => T | undefined | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A pid that is surely dead: a child that already exited. */
export async function deadPid(): Promise<number> {
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => dead.on('exit', r));
  return dead.pid!;
}
