// What tenrec may destroy. Results directories, cluster.json files and registry entries travel
// (CI artifacts, shared drives) and may be crafted, so no path or pid read from one is trusted
// on its own. tenrec signals a process only if it carries the token of a cluster tenrec started
// (an environment variable given at spawn; /proc/PID/environ cannot be rewritten later) and, when
// a start time was recorded, started at that time (so a reused pid never passes). It deletes a
// directory only if it holds a marker file with that token. Nothing is ever matched by argv.
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { procState, statFields } from './processes.ts';

/** The environment variable every node of a cluster is started with. */
export const TOKEN_ENV = 'TENREC_CLUSTER_TOKEN';
/** The marker file a directory tenrec made holds (its content: the token). */
export const MARKER_FILE = '.tenrec-owner';

const TOKEN_RE = /^[0-9a-f]{32}$/;

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

export function isToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_RE.test(value);
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

function environHasToken(pid: number, token: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${TOKEN_ENV}=${token}`);
  } catch {
    return false;
  }
}

/** Alive, started with our token, and (when recorded) at the recorded start time. */
export function ownsProcess(pid: number, token: string, startTime?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || !isToken(token)) return false;
  if (procState(pid) === 'dead') return false;
  if (startTime !== undefined && processStartTime(pid) !== startTime) return false;
  return environHasToken(pid, token);
}

/**
 * SIGKILL every process started with this cluster token (continued first, so a paused one dies
 * too): the sweep after a stop, which finds a node a racing restart spawned after the record we
 * read was written. Returns how many it killed.
 */
export function killProcessesWithToken(token: string): number {
  if (!isToken(token)) return 0;
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number);
  } catch {
    return 0;
  }
  let killed = 0;
  for (const pid of pids) {
    if (!ownsProcess(pid, token)) continue;
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

export function writeMarker(dir: string, token: string): void {
  writeFileSync(join(dir, MARKER_FILE), token, { flag: 'wx' });
}

/** A real directory (not a link to one) holding our marker with this token. */
export function ownsDirectory(dir: string, token: string): boolean {
  if (!isToken(token)) return false;
  try {
    if (!lstatSync(dir).isDirectory()) return false;
    const marker = join(dir, MARKER_FILE);
    if (!lstatSync(marker).isFile()) return false;
    return readFileSync(marker, 'utf8') === token;
  } catch {
    return false;
  }
}

/** The token in a directory's marker, if it has a well-formed one. */
export function markerToken(dir: string): string | undefined {
  try {
    if (!lstatSync(dir).isDirectory() || !lstatSync(join(dir, MARKER_FILE)).isFile()) return undefined;
    const t = readFileSync(join(dir, MARKER_FILE), 'utf8');
    return isToken(t) ? t : undefined;
  } catch {
    return undefined;
  }
}
