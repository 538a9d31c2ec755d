// Node processes on this machine, for systems that run as local programs (etcd members, the
// primary-backup example, a user's own binary): spawn with the run's ownership token in the
// environment (so the watchdog and the next run can find leftovers), logs to files, and Jepsen's
// Kill and Pause by signals. A system's DB delegates to it; src/systems/paxos has its own.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { procState, signalGroup, terminate, waitForExit } from '../process/processes.ts';
import { TOKEN_ENV } from '../process/ownership.ts';
import type { LogFile } from './db.ts';

export interface NodeCommand {
  /** The program and its arguments. */
  command: string;
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
}

interface Running {
  cmd: NodeCommand;
  pid: number;
  paused: boolean;
}

export class LocalNodes {
  private readonly running = new Map<string, Running>();
  private readonly started: number[] = [];

  /** `dir`: where each node's stdout/stderr logs go (`<dir>/<id>.log`). */
  constructor(
    private readonly dir: string,
    private readonly token: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Starts node `id` (its own process group, so signals reach its children too). */
  start(id: string, cmd: NodeCommand): number {
    const log = openSync(join(this.dir, `${id}.log`), 'a');
    try {
      const child = spawn(cmd.command, cmd.args, {
        cwd: cmd.cwd,
        env: { ...process.env, ...cmd.env, [TOKEN_ENV]: this.token },
        stdio: ['ignore', log, log],
        detached: true,
      });
      child.unref();
      if (child.pid === undefined) throw new Error(`${cmd.command} did not start`);
      child.on('error', () => {});
      this.running.set(id, { cmd, pid: child.pid, paused: false });
      this.started.push(child.pid);
      return child.pid;
    } finally {
      closeSync(log);
    }
  }

  pid(id: string): number | undefined {
    return this.running.get(id)?.pid;
  }

  alive(id: string): boolean {
    const r = this.running.get(id);
    return r !== undefined && procState(r.pid) !== 'dead';
  }

  async kill(id: string): Promise<void> {
    const r = this.running.get(id);
    if (!r) return;
    signalGroup(r.pid, 'SIGKILL');
    r.paused = false;
    await waitForExit(r.pid, 5000);
  }

  /** Starts a dead node again with the same command; a no-op while it runs. */
  async restart(id: string): Promise<void> {
    const r = this.running.get(id);
    if (!r || procState(r.pid) !== 'dead') return;
    this.start(id, r.cmd);
  }

  async pause(id: string): Promise<void> {
    const r = this.running.get(id);
    if (!r || procState(r.pid) === 'dead') return;
    signalGroup(r.pid, 'SIGSTOP');
    r.paused = true;
  }

  async resume(id: string): Promise<void> {
    const r = this.running.get(id);
    if (!r?.paused) return;
    r.paused = false;
    signalGroup(r.pid, 'SIGCONT');
  }

  startedPids(): number[] {
    return [...this.started];
  }

  logFiles(): LogFile[] {
    return [...this.running.keys()].map((id) => ({ id: `${id}.log`, path: join(this.dir, `${id}.log`) }));
  }

  /** Stops every node (paused ones too), SIGTERM first; returns once every one is gone. */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.running.values()].map(async (r) => {
        await terminate(r.pid, 2000).catch(() => signalGroup(r.pid, 'SIGKILL'));
        if (!(await waitForExit(r.pid, 10_000))) throw new Error(`node process ${r.pid} survived SIGKILL`);
      }),
    );
  }
}
