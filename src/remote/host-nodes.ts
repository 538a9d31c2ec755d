// Node processes on remote hosts (LocalNodes' counterpart): each node runs in its own directory
// under the run's directory on its host, in its own session (so a signal to its group reaches
// everything it started), with the run's ownership token in its environment. Kill and pause are
// signals sent over the host's Remote, only to processes that still carry the token.
//
// A guard runs on every host for the whole run, holding a channel open to the runner: when the
// runner ends it, or dies (the connection drops with it), the guard kills whatever carries the
// token, removes the run's packet filters and its directory. So nothing outlives a run on a
// host, whatever becomes of the control machine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MARKER_FILE, TOKEN_ENV, isToken } from '../process/ownership.ts';
import type { LogFile } from '../system/db.ts';
import { must, ownedTest, processState, shq, signalOwned, type Held, type Remote } from './remote.ts';

export interface HostCommand {
  /** argv on the host; run in the node's directory. */
  argv: readonly string[];
  env?: Record<string, string>;
}

interface Placed {
  remote: Remote;
  cmd?: HostCommand;
  pid?: number;
  paused: boolean;
}

/** The file in the run directory that names the interface our packet filters are on. */
export const FILTER_DEV_FILE = 'filter-dev';
/** The handle of the queueing discipline the filters hang off (host-filters.ts). */
export const FILTER_QDISC = '7e57:';

/** The guard: waits for EOF on stdin, then removes everything of the run from its host. */
export function guardScript(runDir: string, token: string): string {
  if (!isToken(token)) throw new Error('bad token');
  const dir = shq(runDir);
  return [
    "trap '' HUP INT TERM PIPE",
    'cat >/dev/null',
    `for p in /proc/[0-9]*; do pid=\${p#/proc/}; [ "$pid" = "$$" ] && continue; if ${ownedTest('"$p"', token)}; then kill -CONT "$pid"; kill -KILL "$pid"; fi; done 2>/dev/null`,
    `dev=$(cat ${dir}/${FILTER_DEV_FILE} 2>/dev/null); if [ -n "$dev" ] && tc qdisc show dev "$dev" 2>/dev/null | grep -q 'htb ${FILTER_QDISC}'; then tc qdisc del dev "$dev" root; fi`,
    `if [ "$(cat ${dir}/${MARKER_FILE} 2>/dev/null)" = ${token} ]; then rm -rf ${dir}; fi`,
  ].join('\n');
}

export class HostNodes {
  private readonly nodes = new Map<string, Placed>();
  private readonly guards = new Map<Remote, Held>();
  private readonly localLogs: string;

  /**
   * `base`: where tenrec keeps runs on the hosts; `localDir`: where the nodes' logs are brought
   * back to at the end.
   */
  constructor(
    private readonly base: string,
    private readonly token: string,
    localDir: string,
  ) {
    this.localLogs = join(localDir, 'logs');
  }

  /**
   * This run's directory on a host (made by `prepare`, with our marker). Named for the host too,
   * so hosts that share a filesystem (tenrec hosts up, NFS homes) do not share it.
   */
  runDir(remote: Remote): string {
    return `${this.base}/${this.token}-${remote.name}`;
  }

  nodeDir(id: string): string {
    return `${this.runDir(this.remoteOf(id))}/${id}`;
  }

  /** Puts node `id` on a host; call `prepare` once every node is placed. */
  place(id: string, remote: Remote): void {
    this.nodes.set(id, { remote, paused: false });
  }

  remoteOf(id: string): Remote {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id} on any host`);
    return n.remote;
  }

  get remotes(): Remote[] {
    return [...new Set([...this.nodes.values()].map((n) => n.remote))];
  }

  /** Makes the run's directories (refusing one that exists), starts the guards, checks `needs`. */
  async prepare(needs: readonly string[] = []): Promise<void> {
    await Promise.all(
      this.remotes.map(async (r) => {
        // A login whose shell runs no commands (nologin) answers with its own words, not ours.
        const probe = await r.exec('echo tenrec-ok');
        if (probe.code !== 0 || probe.stdout.trim() !== 'tenrec-ok') throw new Error(`${r.name}: cannot run commands there: ${(probe.stdout + probe.stderr).trim().slice(0, 200) || `exit ${probe.code}`}`);
        const missing = (await r.exec(needs.map((n) => `command -v ${shq(n)} >/dev/null || echo ${shq(n)}`).join('; '))).stdout.trim();
        if (missing) throw new Error(`${r.name}: needs ${missing.split('\n').join(', ')} on the PATH`);
        const dir = shq(this.runDir(r));
        await must(r, `mkdir -p ${shq(this.base)} && mkdir ${dir} && printf %s ${this.token} > ${dir}/${MARKER_FILE}`, `making ${this.runDir(r)}`);
        this.guards.set(r, await r.hold(guardScript(this.runDir(r), this.token)));
        const ids = [...this.nodes].filter(([, n]) => n.remote === r).map(([id]) => shq(this.nodeDir(id)));
        if (ids.length) await must(r, `mkdir ${ids.join(' ')}`, 'making the node directories');
      }),
    );
  }

  /** Starts node `id` (again) with its command; returns its pid on the host. */
  async start(id: string, cmd: HostCommand): Promise<number> {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id} on any host`);
    const env = Object.entries({ ...cmd.env, [TOKEN_ENV]: this.token }).map(([k, v]) => `${k}=${shq(v)}`).join(' ');
    const dir = shq(this.nodeDir(id));
    // setsid: its own session and group (pgid = pid); the shell's exec keeps the pid the node's.
    // Until the shell's child has exec'd, /proc shows the shell's environment, without our token,
    // and every signal would be refused: the same command waits (up to 5 s) for the exec, or for
    // the node's early death, so a start costs one round trip.
    const line = [
      `cd ${dir} || exit 1`,
      `${env} setsid sh -c 'exec "$0" "$@" >>stderr.log 2>&1' ${cmd.argv.map(shq).join(' ')} </dev/null >/dev/null 2>&1 &`,
      'pid=$!; echo $pid; i=0',
      `while [ $i -lt 500 ] && [ -d /proc/$pid ] && ! ${ownedTest('/proc/$pid', this.token)}; do sleep 0.01; i=$((i+1)); done`,
    ].join('\n');
    const pid = Number((await must(n.remote, line, `starting ${id}`)).trim());
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`${n.remote.name}: starting ${id} gave no pid`);
    n.cmd = cmd;
    n.pid = pid;
    n.paused = false;
    return pid;
  }

  async alive(id: string): Promise<boolean> {
    const n = this.nodes.get(id);
    return n?.pid !== undefined && (await processState(n.remote, n.pid, this.token)) !== null;
  }

  async kill(id: string): Promise<void> {
    const n = this.nodes.get(id);
    if (n?.pid === undefined) return;
    n.paused = false;
    await signalOwned(n.remote, n.pid, 'KILL', this.token);
    await this.waitGone(n);
  }

  private async waitGone(n: Placed, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (n.pid !== undefined && (await processState(n.remote, n.pid, this.token)) !== null) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  /** Starts a dead node again with its last command; a no-op while it runs. */
  async restart(id: string): Promise<void> {
    const n = this.nodes.get(id);
    if (!n?.cmd || (await this.alive(id))) return;
    await this.start(id, n.cmd);
  }

  async pause(id: string): Promise<void> {
    const n = this.nodes.get(id);
    if (n?.pid === undefined) return;
    if (await signalOwned(n.remote, n.pid, 'STOP', this.token)) n.paused = true;
  }

  async resume(id: string): Promise<void> {
    const n = this.nodes.get(id);
    if (!n?.paused || n.pid === undefined) return;
    n.paused = false;
    await signalOwned(n.remote, n.pid, 'CONT', this.token);
  }

  /** Stops every node (SIGTERM, then SIGKILL after 2 s). */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.nodes.values()].map(async (n) => {
        if (n.pid === undefined) return;
        await signalOwned(n.remote, n.pid, 'CONT', this.token);
        await signalOwned(n.remote, n.pid, 'TERM', this.token);
        if (!(await this.waitGone(n, 2000))) {
          await signalOwned(n.remote, n.pid, 'KILL', this.token);
          await this.waitGone(n);
        }
      }),
    );
  }

  /** Brings each node's named files back into the local logs directory (missing ones skipped). */
  async fetchLogs(files: readonly string[]): Promise<LogFile[]> {
    mkdirSync(this.localLogs, { recursive: true });
    const out: LogFile[] = [];
    for (const [id, n] of this.nodes) {
      for (const f of files) {
        const local = join(this.localLogs, `${id}-${f}`);
        try {
          await n.remote.download(`${this.nodeDir(id)}/${f}`, local);
          out.push({ id: `${id}-${f}`, path: local });
        } catch {
          /* the node never wrote it */
        }
      }
    }
    return out;
  }

  /** Ends the guards: each removes what is left of the run on its host, then the connections close. */
  async release(): Promise<void> {
    await Promise.all([...this.guards.values()].map((g) => g.close().catch(() => {})));
    this.guards.clear();
  }
}
