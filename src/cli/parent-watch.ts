// A tenrec process whose parent dies stops as if it had been sent SIGTERM (heal, stop its nodes,
// exit). npm does not forward signals: `npx tenrec test` cancelled by CI kills npm (and the shell
// npm ran) and leaves tenrec orphaned, holding a cluster. Polling is the only portable way to
// notice; once a second is plenty next to a cluster's shutdown.
import fs from 'node:fs';

const POLL_MS = 500;

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts watching. The watched parent is our parent, or, when that is a shell (`sh -c`, as npm
 * runs bins), the shell's parent too: a shell that outlives npm would otherwise hide its death.
 */
export function stopWhenParentDies(onDeath: () => void = () => process.kill(process.pid, 'SIGTERM')): void {
  const parent = process.ppid;
  if (parent <= 1) return; // started by init or a container's entry point: nothing to watch
  const shells = new Set(['sh', 'dash', 'bash', 'zsh']);
  const grand = shells.has(commandOf(parent) ?? '') ? parentOf(parent) : undefined;
  const timer = setInterval(() => {
    const orphaned = process.ppid !== parent || (grand !== undefined && grand > 1 && !alive(grand));
    if (!orphaned) return;
    clearInterval(timer);
    process.stderr.write(`\ntenrec: the process that started me (pid ${parent}${grand ? ` under ${grand}` : ''}) is gone: stopping as on SIGTERM\n`);
    onDeath();
  }, POLL_MS);
  timer.unref();
}
