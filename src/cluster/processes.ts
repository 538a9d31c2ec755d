// Signalling node processes. Every node runs as the leader of its own process group
// (spawned detached), so signalling the group (-pid) reaches anything it started too.
import { readFileSync } from 'node:fs';

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
