// Every run registers itself under <results>/.runtime/ while it has processes alive: the runner's
// pid, its cluster directory, its ownership token and its watchdog. A later run reaps what a dead
// runner left behind (in case even its watchdog died), so no node outlives the run that started
// it. Results directories travel, so an entry may be crafted: the reaper deletes a directory only
// if it is a tenrec-run-* directory in the temp dir holding the entry's token in its marker, and
// signals only processes started with that token (ownership.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { procState } from '../process/processes.ts';
import { isToken, killProcessesWithToken, ownsDirectory, processStartTime, writeMarker } from '../process/ownership.ts';
import { destroyRecordedNamespaces } from '../net/netns.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';

export interface RuntimeEntry {
  runnerPid: number;
  /** The runner's start time (/proc/PID/stat), so a reused pid does not pass for it. */
  runnerStartTime?: string;
  clusterDir: string;
  /** The run's ownership token: in its cluster dir's marker and its nodes' environment. */
  token: string;
  watchdogPid?: number;
  startedAt: string;
}

const WATCHDOG = fileURLToPath(new URL('./watchdog.mjs', import.meta.url));
const RUN_DIR_PREFIX = 'tenrec-run-';

export function runtimeDir(resultsDir: string): string {
  return path.join(path.resolve(resultsDir), '.runtime');
}

/**
 * A fresh directory for the run's node data, outside results/ (it holds WALs, not results),
 * marked with the run's token so that only it can ever be reaped as this run's.
 */
export function makeClusterDir(token: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), RUN_DIR_PREFIX));
  writeMarker(dir, token);
  return dir;
}

/** A directory the run with this token made: a marked tenrec-run-* directly in the temp dir. */
export function isRunClusterDir(dir: string, token: string): boolean {
  const parent = path.dirname(path.resolve(dir));
  const tmp = [os.tmpdir(), fs.realpathSync(os.tmpdir())];
  return tmp.includes(parent) && path.basename(dir).startsWith(RUN_DIR_PREFIX) && ownsDirectory(dir, token);
}

/** An entry as read from disk, checked field by field; undefined when it is not one of ours. */
function parseEntry(text: string): RuntimeEntry | undefined {
  let v: Partial<RuntimeEntry>;
  try {
    v = JSON.parse(text) as Partial<RuntimeEntry>;
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  if (!Number.isInteger(v.runnerPid) || typeof v.clusterDir !== 'string' || !isToken(v.token)) return undefined;
  if (v.runnerStartTime !== undefined && typeof v.runnerStartTime !== 'string') return undefined;
  return v as RuntimeEntry;
}

function runnerAlive(e: RuntimeEntry): boolean {
  if (procState(e.runnerPid) === 'dead') return false;
  return e.runnerStartTime === undefined || processStartTime(e.runnerPid) === e.runnerStartTime;
}

/**
 * Whole or not at all: another run's reaper reads these files at any moment, so a half-written
 * entry must never be seen.
 */
function writeEntry(file: string, entry: RuntimeEntry): void {
  writeFileAtomic(file, JSON.stringify(entry));
}

export class RuntimeRegistration {
  private constructor(
    readonly file: string,
    readonly entry: RuntimeEntry,
  ) {}

  static create(resultsDir: string, clusterDir: string, token: string): RuntimeRegistration {
    const dir = runtimeDir(resultsDir);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `run-${process.pid}-${Date.now()}.json`);
    const started = processStartTime(process.pid);
    const entry: RuntimeEntry = { runnerPid: process.pid, ...(started ? { runnerStartTime: started } : {}), clusterDir, token, startedAt: new Date().toISOString() };
    writeEntry(file, entry);
    // The watchdog gets everything it acts on from us, not from files a crafted results dir could hold.
    const wd = spawn(process.execPath, [WATCHDOG, String(process.pid), started ?? '', file, clusterDir, token], {
      detached: true,
      stdio: 'ignore',
    });
    wd.unref();
    entry.watchdogPid = wd.pid;
    writeEntry(file, entry);
    return new RuntimeRegistration(file, entry);
  }

  /** The run cleaned up after itself: drop the entry (its watchdog then exits on its own). */
  release(): void {
    fs.rmSync(this.file, { force: true });
    const wd = this.entry.watchdogPid;
    if (wd && procState(wd) !== 'dead') {
      try {
        process.kill(wd, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  }
}

/**
 * Stops the processes and removes the cluster directories of runners that died without cleaning
 * up; returns how many it reaped. Entries it cannot prove are a tenrec run's are left alone, with
 * a word on stderr.
 */
export async function reapLeftovers(resultsDir: string, warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  const dir = runtimeDir(resultsDir);
  if (!fs.existsSync(dir)) return 0;
  let reaped = 0;
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const entry = parseEntry(text);
    if (!entry) {
      warn(`tenrec: ignoring ${file}: not a registry entry this tenrec writes (left as it is)`);
      continue;
    }
    if (runnerAlive(entry)) continue;
    if (!isRunClusterDir(entry.clusterDir, entry.token)) {
      warn(`tenrec: ignoring ${file}: ${entry.clusterDir} is not a run directory tenrec made (no matching marker); nothing was deleted or signalled`);
      continue;
    }
    killProcessesWithToken(entry.token);
    destroyRecordedNamespaces(entry.clusterDir);
    fs.rmSync(entry.clusterDir, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
    reaped++;
  }
  return reaped;
}
