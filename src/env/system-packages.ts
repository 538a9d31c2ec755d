// Programs tenrec's tests and faults need that npm cannot bring (Debian's chromium and
// etcd-server, fiu-utils for fsync errors, libfaketime for clock faults, openssh-server for test
// hosts). Each is looked for at its usual paths; a missing one is installed with apt-get when we
// are root, and otherwise named with the command that installs it.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface SystemPackage {
  /** Debian package name. */
  pkg: string;
  /** Paths any one of which means the package is there. */
  paths: readonly string[];
  /** What needs it, for the message when it cannot be installed. */
  neededFor: string;
}

export const CHROMIUM: SystemPackage = {
  pkg: 'chromium',
  paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
  neededFor: "the HTML report's browser tests",
};

export const ETCD: SystemPackage = {
  pkg: 'etcd-server',
  paths: ['/usr/bin/etcd'],
  neededFor: 'the etcd system under test (--db etcd) and its tests',
};

export const LIBFIU: SystemPackage = {
  pkg: 'fiu-utils',
  // fiu-utils brings fiu-ctrl; its dependency libfiu0 the preload libraries.
  paths: ['/usr/bin/fiu-ctrl'],
  neededFor: 'fsync errors (--nemesis fsync) and their tests',
};

export const LIBFAKETIME: SystemPackage = {
  pkg: 'libfaketime',
  paths: ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'],
  neededFor: 'clock faults (--nemesis clock) and their tests',
};

export const OPENSSH_SERVER: SystemPackage = {
  pkg: 'openssh-server',
  paths: ['/usr/sbin/sshd'],
  neededFor: 'test hosts over SSH (tenrec hosts up) and their tests',
};

export function findInstalled(p: SystemPackage): string | undefined {
  return p.paths.find((f) => fs.existsSync(f));
}

export interface EnsureResult {
  /** Installed before, or installed now. */
  present: SystemPackage[];
  /** Missing and could not be installed, each with the reason in words. */
  missing: { pkg: SystemPackage; why: string }[];
}

/**
 * Installs whichever of `pkgs` are missing, with one `apt-get update` and one `apt-get install`.
 * Never throws: what could not be installed comes back in `missing` with the reason.
 */
export function ensureSystemPackages(pkgs: readonly SystemPackage[], log: (line: string) => void = () => {}): EnsureResult {
  const absent = pkgs.filter((p) => !findInstalled(p));
  const present = pkgs.filter((p) => findInstalled(p));
  if (absent.length === 0) return { present, missing: [] };
  const names = absent.map((p) => p.pkg);
  const howTo = `apt-get install -y ${names.join(' ')}`;
  const cannot = (why: string) => ({ present, missing: absent.map((pkg) => ({ pkg, why })) });
  if (process.platform !== 'linux' || !fs.existsSync('/usr/bin/apt-get')) {
    return cannot(`no apt-get on this machine: install ${names.join(', ')} by hand`);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return cannot(`not root, so tenrec cannot install it: run \`sudo ${howTo}\``);
  }
  log(`tenrec: installing ${names.join(', ')} with apt-get (needed for ${absent.map((p) => p.neededFor).join('; ')})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'pipe'], env, timeout: 300_000 });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { stdio: ['ignore', 'ignore', 'pipe'], env, timeout: 900_000 });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(-3).join(' / ');
    return cannot(`\`${howTo}\` failed${stderr ? `: ${stderr}` : ''}`);
  }
  const result: EnsureResult = { present: [...present], missing: [] };
  for (const p of absent) {
    if (findInstalled(p)) result.present.push(p);
    else result.missing.push({ pkg: p, why: `apt-get installed ${p.pkg} but none of ${p.paths.join(', ')} exists` });
  }
  return result;
}
