// Signalling node processes. Every node runs as the leader of its own process group
// (spawned detached), so signalling the group (-pid) reaches anything it started too.
import { readFileSync } from 'node:fs';

export type ProcState = 'running' | 'paused' | 'dead';

/**
 * The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses,
 * so the fields resume after the last ')'): [0] the state letter, [1] the parent pid, [19] the
 * start time. Undefined when there is no such process.
 */
export function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Linux /proc view of a pid: a zombie counts as dead (it is gone, only not yet reaped). */
export function procState(pid: number): ProcState {
  const state = statFields(pid)?.[0];
  if (state === undefined || state === 'Z' || state === 'X' || state === 'x') return 'dead';
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
