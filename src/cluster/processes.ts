// Signalling node processes. Every node runs as the leader of its own process group
// (spawned detached), so signalling the group (-pid) reaches anything it started too.
import { readdirSync, readFileSync } from 'node:fs';

export type ProcState = 'running' | 'paused' | 'dead';

/** Linux /proc view of a pid: a zombie counts as dead (it is gone, only not yet reaped). */
export function procState(pid: number): ProcState {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 'dead';
  }
  // The state letter follows the parenthesised command name, which may itself contain spaces.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X' || state === 'x') return 'dead';
  if (state === 'T' || state === 't') return 'paused';
  return 'running';
}

/**
 * Whether `pid` is still the node process we started (and not an unrelated process that got
 * the pid after ours died): its command line names the node's data directory.
 */
export function isNodeProcess(pid: number, nodeDir: string): boolean {
  if (procState(pid) === 'dead') return false;
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes(nodeDir);
  } catch {
    return false;
  }
}

/** Signal the process group led by pid; true if it existed. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (procState(pid) !== 'dead') {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/**
 * Stop a node: continue it (a stopped process cannot act on SIGTERM), ask it to shut down
 * cleanly, and SIGKILL the group if it has not exited in time. Returns once it is gone.
 */
export async function terminate(pid: number, graceMs = 3000): Promise<void> {
  if (procState(pid) === 'dead') return;
  signalGroup(pid, 'SIGCONT');
  signalGroup(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) {
    signalGroup(pid, 'SIGKILL'); // anything left in the group
    return;
  }
  signalGroup(pid, 'SIGKILL');
  if (!(await waitForExit(pid, 5000))) throw new Error(`process ${pid} survived SIGKILL`);
}

/**
 * SIGKILL every process whose command line names a path inside `dir` (a cluster's node
 * directory). A sweep after an orderly stop: a node respawned by a restart that raced with the
 * stop (Ctrl-C in the middle of a kill fault) is in no record, but its argv names its data dir.
 */
export function killProcessesUnder(dir: string): number {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  let killed = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return 0; // no /proc: nothing to sweep
  }
  for (const p of pids) {
    const pid = Number(p);
    if (pid === process.pid) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!argv.some((a) => a.startsWith(prefix))) continue;
    for (const sig of ['SIGCONT', 'SIGKILL'] as const) {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
    killed++;
  }
  return killed;
}
