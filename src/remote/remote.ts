// A machine tenrec drives: the control machine itself, or a host reached over SSH (Jepsen's
// `control` namespace). Systems install, start, signal and collect their nodes through this and
// nothing else, so the same DB code runs a cluster on this machine or on several.
//
// Commands are POSIX shell text run by `sh -c` on the host; `shq` quotes every value put into one.

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A command left running on the host, ended by `close()` or by the control process dying. */
export interface Held {
  /** Ends its standard input (the command sees EOF) and waits until it exits. */
  close(): Promise<void>;
}

export type RemoteSignal = 'KILL' | 'STOP' | 'CONT' | 'TERM';

export interface Remote {
  /** The host's name as the user gave it (messages, log names). */
  readonly name: string;
  /** The address its nodes listen on, and clients and peers reach them at. */
  readonly address: string;
  /** Runs `sh -c command` on the host; never throws for a non-zero exit (see `must`). */
  exec(command: string, options?: { input?: string }): Promise<ExecResult>;
  upload(localPath: string, remotePath: string): Promise<void>;
  download(remotePath: string, localPath: string): Promise<void>;
  /**
   * Starts `command` and keeps it running with its stdin open to us. When we close it, or when
   * this process dies and the connection with it, the command reads EOF: the guard's cue.
   */
  hold(command: string): Promise<Held>;
  close(): Promise<void>;
}

export class RemoteError extends Error {
  override name = 'RemoteError';
}

/** Runs a command and throws a RemoteError naming the host when it fails. */
export async function must(remote: Remote, command: string, what: string, input?: string): Promise<string> {
  const r = await remote.exec(command, input === undefined ? {} : { input });
  if (r.code !== 0) throw new RemoteError(`${remote.name}: ${what} failed (exit ${r.code})${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`);
  return r.stdout;
}

/** One shell word, whatever the value holds. */
export function shq(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Signals a process group on the host only if its leader still carries our token in its
 * environment (as src/process/ownership.ts does locally): a pid read back from a host may have
 * been reused. Returns whether it was ours and alive.
 */
export async function signalOwned(remote: Remote, pid: number, signal: RemoteSignal, token: string): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 1 || !/^[0-9a-f]{32}$/.test(token)) return false;
  const r = await remote.exec(`${ownedTest(`/proc/${pid}`, token)} && kill -s ${signal} -- -${pid}`);
  return r.code === 0;
}

/** The shell test "the process at `proc` (/proc/PID, or a shell word naming it) carries our token". */
export function ownedTest(proc: string, token: string): string {
  return `tr '\\0' '\\n' <${proc}/environ 2>/dev/null | grep -qx 'TENREC_CLUSTER_TOKEN=${token}'`;
}

/** The process's state letter on the host (R, S, T, Z…), or null when it is gone or not ours. */
export async function processState(remote: Remote, pid: number, token: string): Promise<string | null> {
  const r = await remote.exec(`${ownedTest(`/proc/${pid}`, token)} && sed 's/.*) //' /proc/${pid}/stat | cut -c1`);
  const s = r.stdout.trim();
  return r.code === 0 && /^[A-Z]$/.test(s) && s !== 'Z' && s !== 'X' ? s : null;
}
