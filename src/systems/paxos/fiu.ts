// fsync errors through Debian's libfiu (fiu-utils): nodes started with its preload libraries
// (LD_PRELOAD) each listen on a control FIFO `<prefix>-<pid>.in`, and `fiu-ctrl` switches a
// failure point on there at run time (it goes off with the process: a node whose fsyncs failed is
// killed or has stopped, and starts again without it). The point `posix/io/sync/*` makes fsync, fdatasync and
// sync_file_range return -1 with errno EIO (failinfo 5); sockets and plain writes are untouched.
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LIBFIU, findInstalled } from '../../env/system-packages.ts';
import { UserError } from '../../errors/user-error.ts';

const run = promisify(execFile);
const PRELOAD_DIRS = ['/usr/lib/fiu', '/usr/lib/x86_64-linux-gnu/fiu', '/usr/local/lib/fiu'];
const EIO = 5;

export class FiuControl {
  private constructor(
    private readonly ctl: string,
    private readonly preloads: string[],
    private readonly prefix: string,
  ) {}

  /** `prefix`: where the nodes' control FIFOs go (a path in the cluster's own directory). */
  static create(prefix: string): FiuControl {
    const ctl = findInstalled(LIBFIU);
    const dir = PRELOAD_DIRS.find((d) => existsSync(`${d}/fiu_posix_preload.so`));
    if (!ctl || !dir) {
      throw new UserError(`--nemesis fsync needs libfiu: install Debian's ${LIBFIU.pkg} (\`apt-get install -y ${LIBFIU.pkg}\`); the test set-up does so when run as root`);
    }
    return new FiuControl(ctl, [`${dir}/fiu_run_preload.so`, `${dir}/fiu_posix_preload.so`], prefix);
  }

  /** The environment a node starts with. */
  env(): Record<string, string> {
    return { LD_PRELOAD: this.preloads.join(' '), FIU_CTRL_FIFO: this.prefix };
  }

  async failSync(pid: number): Promise<void> {
    await this.send(pid, `enable name=posix/io/sync/*,failinfo=${EIO}`);
  }

  /** fiu-ctrl exits 0 even when the pid has no FIFO; it says so on its output instead. */
  private async send(pid: number, command: string): Promise<void> {
    const { stdout, stderr } = await run(this.ctl, ['-f', this.prefix, '-c', command, String(pid)], { timeout: 5000 });
    const said = `${stdout}${stderr}`.trim();
    if (/error/i.test(said)) throw new Error(`fiu-ctrl ${command} on pid ${pid}: ${said}`);
  }
}
