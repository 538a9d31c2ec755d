// Every run registers itself under <results>/.runtime/ while it has processes alive: the runner's
// pid, its cluster directory and its watchdog. A later run reaps what a dead runner left behind
// (in case even its watchdog died), so no node outlives the run that started it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { openCluster } from '../cluster/cluster.ts';
import { procState } from '../cluster/processes.ts';
import { destroyRecordedNamespaces } from '../../nemesis/netns.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';

export interface RuntimeEntry {
  runnerPid: number;
  clusterDir: string;
  watchdogPid?: number;
  startedAt: string;
}

const WATCHDOG = fileURLToPath(new URL('./watchdog.mjs', import.meta.url));

export function runtimeDir(resultsDir: string): string {
  return path.join(path.resolve(resultsDir), '.runtime');
}

/** A fresh directory for the run's node data, outside results/ (it holds WALs, not results). */
export function makeClusterDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-run-'));
}

/**
 * Whole or not at all: another run's reaper reads these files at any moment and removes one it
 * cannot parse, so a half-written entry would unregister a live run.
 */
function writeEntry(file: string, entry: RuntimeEntry): void {
  writeFileAtomic(file, JSON.stringify(entry));
}

export class RuntimeRegistration {
  private constructor(
    readonly file: string,
    readonly entry: RuntimeEntry,
  ) {}

  static create(resultsDir: string, clusterDir: string): RuntimeRegistration {
    const dir = runtimeDir(resultsDir);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `run-${process.pid}-${Date.now()}.json`);
    const entry: RuntimeEntry = { runnerPid: process.pid, clusterDir, startedAt: new Date().toISOString() };
    writeEntry(file, entry);
    const wd = spawn(process.execPath, [WATCHDOG, String(process.pid), file, clusterDir], {
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

/** Stops the clusters of runners that died without cleaning up; returns how many it reaped. */
export async function reapLeftovers(resultsDir: string): Promise<number> {
  const dir = runtimeDir(resultsDir);
  if (!fs.existsSync(dir)) return 0;
  let reaped = 0;
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    let entry: RuntimeEntry;
    try {
      entry = JSON.parse(fs.readFileSync(file, 'utf8')) as RuntimeEntry;
    } catch {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (procState(entry.runnerPid) !== 'dead') continue;
    const cluster = openCluster(entry.clusterDir);
    if (cluster) await cluster.stop().catch(() => {});
    destroyRecordedNamespaces(entry.clusterDir);
    fs.rmSync(entry.clusterDir, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
    reaped++;
  }
  return reaped;
}
