// Which hosts a run uses: `--hosts a,b,c` with the --ssh-* flags, or a hosts.json (written by
// `tenrec hosts up`, or by hand). A hosts.json may be stale or crafted, so every field is checked
// here, where it enters, and a bad one is named with the file.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { UserError } from '../errors/user-error.ts';
import type { SshTarget } from './ssh.ts';

export interface HostsFile {
  version: 1;
  hosts: { name: string; address: string; port: number; user: string; key?: string }[];
  /** known_hosts to trust for these hosts (besides none: only this file when given). */
  knownHosts?: string;
  /** Where on each host tenrec keeps its runs (default /tmp/tenrec). */
  dir?: string;
  /** What `tenrec hosts up` made, so that `hosts down` removes exactly that. */
  made?: { bridge: string; namespaces: string[] };
}

/** How the user named a run's hosts: what test.json keeps, and the rerun line spells. */
export type HostSource = { hostsFile: string } | { hosts: string[]; user?: string; key?: string; port?: number };

/** The hosts a run drives, and where on them it works. */
export interface HostSet {
  targets: SshTarget[];
  dir: string;
  source: HostSource;
}

export const DEFAULT_REMOTE_DIR = '/tmp/tenrec';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const ADDRESS = /^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$/;
const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;
const REMOTE_DIR = /^\/[A-Za-z0-9._\/-]{1,200}$/;

function port(v: unknown, where: string): number {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535) throw new UserError(`${where}: port must be an integer 1-65535, got ${JSON.stringify(v)}`);
  return v as number;
}

export function readHostsFile(path: string): HostSet {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`${path}: not a hosts file (${err instanceof SyntaxError ? 'not JSON' : (err as Error).message})`);
  }
  const f = raw as Partial<HostsFile> | null;
  if (!f || typeof f !== 'object' || f.version !== 1) throw new UserError(`${path}: not a tenrec hosts file (expected {"version": 1, "hosts": [...]})`);
  if (!Array.isArray(f.hosts) || f.hosts.length === 0) throw new UserError(`${path}: "hosts" must be a non-empty list`);
  const base = dirname(resolve(path));
  const file = (v: unknown, where: string) => {
    if (typeof v !== 'string' || v === '' || v.includes('\0')) throw new UserError(`${where}: must be a file path`);
    return isAbsolute(v) ? v : resolve(base, v);
  };
  const knownHosts = f.knownHosts === undefined ? undefined : file(f.knownHosts, `${path}: knownHosts`);
  const dir = f.dir ?? DEFAULT_REMOTE_DIR;
  if (typeof dir !== 'string' || !REMOTE_DIR.test(dir) || dir.split('/').includes('..')) throw new UserError(`${path}: dir must be an absolute path of plain characters, got ${JSON.stringify(dir)}`);
  const names = new Set<string>();
  const targets = f.hosts.map((h, i) => {
    const where = `${path}: hosts[${i}]`;
    if (!h || typeof h !== 'object') throw new UserError(`${where}: must be an object`);
    if (typeof h.name !== 'string' || !NAME.test(h.name)) throw new UserError(`${where}: name must be letters, digits, '.', '_' or '-', got ${JSON.stringify(h.name)}`);
    if (names.has(h.name)) throw new UserError(`${where}: name ${h.name} appears twice`);
    names.add(h.name);
    if (typeof h.address !== 'string' || !ADDRESS.test(h.address)) throw new UserError(`${where}: address must be a host name or IP address, got ${JSON.stringify(h.address)}`);
    if (typeof h.user !== 'string' || !USER.test(h.user)) throw new UserError(`${where}: user must be a login name, got ${JSON.stringify(h.user)}`);
    return {
      name: h.name,
      address: h.address,
      port: port(h.port ?? 22, where),
      user: h.user,
      ...(h.key !== undefined ? { key: file(h.key, `${where}: key`) } : {}),
      ...(knownHosts ? { knownHosts: [knownHosts] } : {}),
    };
  });
  return { targets, dir, source: { hostsFile: resolve(path) } };
}

/** `--hosts a,b,c` with `--ssh-user`, `--ssh-key`, `--ssh-port`. */
export function hostsFromFlags(hosts: readonly string[], o: { user?: string; key?: string; port?: number; dir?: string }): HostSet {
  const list = hosts.flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean);
  if (list.length === 0) throw new UserError('--hosts needs at least one host');
  for (const h of list) if (!ADDRESS.test(h)) throw new UserError(`--hosts: ${JSON.stringify(h)} is not a host name or address`);
  if (new Set(list).size !== list.length) throw new UserError('--hosts names a host twice');
  const user = o.user ?? userInfo().username;
  if (!USER.test(user)) throw new UserError(`--ssh-user must be a login name, got ${JSON.stringify(user)}`);
  const p = port(o.port ?? 22, '--ssh-port');
  const dir = o.dir ?? DEFAULT_REMOTE_DIR;
  return {
    targets: list.map((h) => ({ name: h, address: h, port: p, user, ...(o.key ? { key: resolve(o.key) } : {}) })),
    dir,
    source: { hosts: list, ...(o.user ? { user: o.user } : {}), ...(o.key ? { key: resolve(o.key) } : {}), ...(o.port ? { port: o.port } : {}) },
  };
}

/** The flags that name these hosts again (for a rerun line). */
export function hostsFlags(h: HostSource): string[] {
  if ('hostsFile' in h) return ['--hosts-file', h.hostsFile];
  return ['--hosts', h.hosts.join(','), ...(h.user ? ['--ssh-user', h.user] : []), ...(h.key ? ['--ssh-key', h.key] : []), ...(h.port ? ['--ssh-port', String(h.port)] : [])];
}

/** The hosts a source names (reading and checking its hosts file). */
export function resolveHosts(h: HostSource): HostSet {
  return 'hostsFile' in h ? readHostsFile(h.hostsFile) : hostsFromFlags(h.hosts, h);
}

export interface HostFlagArgs {
  hosts?: string;
  'hosts-file'?: string;
  'ssh-user'?: string;
  'ssh-key'?: string;
  'ssh-port'?: number;
}

/** `--hosts …` / `--hosts-file …` as a source, or undefined when neither was given. */
export function hostSourceFromFlags(a: HostFlagArgs): HostSource | undefined {
  if (a.hosts !== undefined && a['hosts-file'] !== undefined) throw new UserError('give --hosts or --hosts-file, not both');
  if (a['hosts-file'] !== undefined) {
    if (a['ssh-user'] !== undefined || a['ssh-key'] !== undefined || a['ssh-port'] !== undefined) throw new UserError('--ssh-user, --ssh-key and --ssh-port go with --hosts; a hosts file says them per host');
    return { hostsFile: resolve(a['hosts-file']) };
  }
  if (a.hosts === undefined) {
    if (a['ssh-user'] !== undefined || a['ssh-key'] !== undefined || a['ssh-port'] !== undefined) throw new UserError('--ssh-user, --ssh-key and --ssh-port need --hosts');
    return undefined;
  }
  return hostsFromFlags([a.hosts], { ...(a['ssh-user'] ? { user: a['ssh-user'] } : {}), ...(a['ssh-key'] ? { key: a['ssh-key'] } : {}), ...(a['ssh-port'] !== undefined ? { port: a['ssh-port'] } : {}) }).source;
}

export const HOST_FLAGS = {
  hosts: { type: 'string', describe: 'Run the nodes on these hosts over SSH, one node per host (comma-separated names or addresses); clients stay here' },
  'hosts-file': { type: 'string', describe: 'Hosts as a hosts.json (written by `tenrec hosts up`, or by hand: docs/remote-hosts.md)' },
  'ssh-user': { type: 'string', describe: 'SSH login on --hosts (default: your user name)' },
  'ssh-key': { type: 'string', describe: 'SSH private key file for --hosts (default: the agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa)' },
  'ssh-port': { type: 'number', describe: 'SSH port on --hosts (default 22)' },
} as const;
