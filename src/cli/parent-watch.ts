// A tenrec process whose parent dies stops as if it had been sent SIGTERM (heal, stop its nodes,
// exit). npm does not forward signals: `npx tenrec test` cancelled by CI kills npm (and the shell
// npm ran) and leaves tenrec orphaned, holding a cluster. Polling is the only portable way to
// notice; twice a second is plenty next to a cluster's shutdown.
import fs from 'node:fs';
import { procState, statFields } from '../process/processes.ts';

const POLL_MS = 500;

function commandOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
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
  const grand = shells.has(commandOf(parent) ?? '') ? Number(statFields(parent)?.[1]) || undefined : undefined;
  const timer = setInterval(() => {
    const orphaned = process.ppid !== parent || (grand !== undefined && grand > 1 && procState(grand) === 'dead');
    if (!orphaned) return;
    clearInterval(timer);
    process.stderr.write(`\ntenrec: the process that started me (pid ${parent}${grand ? ` under ${grand}` : ''}) is gone: stopping as on SIGTERM\n`);
    onDeath();
  }, POLL_MS);
  timer.unref();
}
