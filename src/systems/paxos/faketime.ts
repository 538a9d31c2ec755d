// Wall-clock faults through Debian's libfaketime: a node started with it preloaded reads its
// offset from its own timestamp file at every clock_gettime(CLOCK_REALTIME) (FAKETIME_NO_CACHE; a
// few microseconds a call), so writing "+5" there moves its wall clock 5 s ahead at once. The
// monotonic clock stays real (FAKETIME_DONT_FAKE_MONOTONIC): Node aborts if it goes backwards, and
// a real machine's NTP step moves only the wall clock too.
import { rmSync, writeFileSync } from 'node:fs';
import { LIBFAKETIME, findInstalled } from '../../env/system-packages.ts';
import { UserError } from '../../errors/user-error.ts';

export class FakeTime {
  /** The cluster directory's list of node pids started under libfaketime (src/runner/watchdog.mjs reads it). */
  static readonly PIDS_FILE = 'faketime-pids';

  private constructor(private readonly lib: string, private readonly fileOf: (id: string) => string) {}

  /** `fileOf(id)`: node id's timestamp file (a path in the cluster's own directory). */
  static create(fileOf: (id: string) => string): FakeTime {
    const lib = findInstalled(LIBFAKETIME);
    if (!lib) throw new UserError(`--nemesis clock needs libfaketime: install Debian's ${LIBFAKETIME.pkg} (\`apt-get install -y ${LIBFAKETIME.pkg}\`); the test set-up does so when run as root`);
    return new FakeTime(lib, fileOf);
  }

  /** Environment every node shares. */
  env(): Record<string, string> {
    return { LD_PRELOAD: this.lib, FAKETIME_DONT_FAKE_MONOTONIC: '1', FAKETIME_NO_CACHE: '1' };
  }

  /** What a node's command is prefixed with: its own timestamp file, created at offset 0. */
  wrap(id: string): string[] {
    this.set(id, 0);
    return ['/usr/bin/env', `FAKETIME_TIMESTAMP_FILE=${this.fileOf(id)}`];
  }

  /**
   * libfaketime makes a semaphore and a shared-memory segment named after the pid of the first
   * process it is loaded in (our node: the shell and env(1) exec into it, keeping the pid) and
   * removes them only on a clean exit, which a killed node never has. These are those two names.
   */
  static leftovers(pid: number): string[] {
    return [`/dev/shm/faketime_shm_${pid}`, `/dev/shm/sem.faketime_sem_${pid}`];
  }

  /** Removes what libfaketime left for nodes that are gone (pids this cluster started). */
  static removeLeftovers(pids: Iterable<number>): void {
    for (const pid of pids) for (const f of FakeTime.leftovers(pid)) rmSync(f, { force: true });
  }

  set(id: string, offsetMs: number): void {
    // libfaketime's relative format: a signed offset in seconds, fractions allowed.
    writeFileSync(this.fileOf(id), `${offsetMs >= 0 ? '+' : '-'}${(Math.abs(offsetMs) / 1000).toFixed(3)}\n`);
  }
}
