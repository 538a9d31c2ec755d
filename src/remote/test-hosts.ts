// `tenrec hosts up`: test hosts on this one machine, as real as it gets without more machines
// (Jepsen ships a Docker environment for the same purpose). Each host is a network namespace on
// a private bridge with its own address, running Debian's openssh-server as root; the runner
// reaches it only over SSH, so everything tenrec does there goes the way it would go to a
// machine across a network. The hosts share this machine's filesystem and programs (node,
// etcd), which is why tenrec still ships its node bundle to them as it would elsewhere.
//
// Needs root and iproute2; installs openssh-server when missing. `hosts down` removes exactly
// what `up` recorded in hosts.json (names checked against the pattern `up` gives them) and stops
// the processes inside those namespaces: everything a host runs lives in its namespace.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors/user-error.ts';
import { ensureSystemPackages, OPENSSH_SERVER } from '../env/system-packages.ts';
import { freeSubnet, must, netnsUnavailable, run } from '../net/netns.ts';
import type { HostsFile } from './hosts-file.ts';

const PREFIX = '10.214';
const NS = /^tenrec-h[a-z0-9]{5}-h\d{1,3}$/;
const BRIDGE = /^tnh[a-z0-9]{5}br$/;
export const HOSTS_FILE = 'hosts.json';

export interface HostsUp {
  file: string;
  hosts: { name: string; address: string }[];
}

function sshdConfig(dir: string): string {
  return [
    'Port 22',
    `HostKey ${dir}/ssh_host_ed25519_key`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The key files live in a directory the user chose; sshd's ownership checks are for homes.
    'StrictModes no',
    'MaxSessions 64',
    'MaxStartups 64',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

export async function hostsUp(o: { count: number; dir: string; log?: (line: string) => void }): Promise<HostsUp> {
  const log = o.log ?? (() => {});
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 64) throw new UserError(`--count must be an integer 1-64, got ${o.count}`);
  const why = netnsUnavailable();
  if (why) throw new UserError(`tenrec hosts up cannot make hosts here: ${why}`);
  const dir = resolve(o.dir);
  const file = join(dir, HOSTS_FILE);
  if (existsSync(file)) throw new UserError(`${file} exists: run \`tenrec hosts down --dir ${o.dir}\` first, or choose another --dir`);
  const pkgs = ensureSystemPackages([OPENSSH_SERVER], log);
  if (pkgs.missing.length) throw new UserError(`tenrec hosts up needs openssh-server: ${pkgs.missing[0]!.why}`);
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege-separation directory
  for (const key of ['id_ed25519', 'ssh_host_ed25519_key']) {
    if (!existsSync(join(dir, key))) must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'tenrec-hosts', '-f', join(dir, key)]);
  }
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_ed25519.pub')));
  writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir));
  const tag = Math.random().toString(36).slice(2, 7).padEnd(5, '0');
  const subnet = freeSubnet(PREFIX);
  const bridge = `tnh${tag}br`;
  const hosts = Array.from({ length: o.count }, (_, i) => ({ name: `h${i + 1}`, ns: `tenrec-h${tag}-h${i + 1}`, veth: `tnh${tag}${i}`, address: `${subnet}.${i + 2}` }));
  const hostKey = readFileSync(join(dir, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const record: HostsFile = {
    version: 1,
    hosts: hosts.map((h) => ({ name: h.name, address: h.address, port: 22, user: 'root', key: join(dir, 'id_ed25519') })),
    knownHosts: join(dir, 'known_hosts'),
    dir: join(dir, 'runs'),
    made: { bridge, namespaces: hosts.map((h) => h.ns) },
  };
  // Recorded before anything is made, so `hosts down` can remove a half-made set.
  writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  writeFileSync(join(dir, 'known_hosts'), hosts.map((h) => `${h.address} ${hostKey}\n`).join(''));
  try {
    must(['ip', 'link', 'add', bridge, 'type', 'bridge']);
    must(['ip', 'addr', 'add', `${subnet}.1/24`, 'dev', bridge]);
    must(['ip', 'link', 'set', bridge, 'up']);
    for (const h of hosts) {
      must(['ip', 'netns', 'add', h.ns]);
      must(['ip', 'link', 'add', h.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.ns]);
      must(['ip', 'link', 'set', h.veth, 'master', bridge, 'up']);
      must(['ip', '-n', h.ns, '-batch', '-'], [`addr add ${h.address}/24 dev eth0`, 'link set eth0 up', 'link set lo up', `route add default via ${subnet}.1`].join('\n'));
      const out = openSync(join(dir, `${h.name}-sshd.log`), 'a');
      const child = spawn('ip', ['netns', 'exec', h.ns, '/usr/sbin/sshd', '-D', '-e', '-f', join(dir, 'sshd_config'), '-o', `ListenAddress=${h.address}`, '-o', `PidFile=${join(dir, `${h.name}-sshd.pid`)}`], {
        detached: true,
        stdio: ['ignore', out, out],
      });
      closeSync(out);
      child.unref();
    }
    for (const h of hosts) await waitListening(h.address, 22, 10_000, join(dir, `${h.name}-sshd.log`));
  } catch (err) {
    hostsDown({ dir });
    throw err;
  }
  log(`tenrec: ${o.count} hosts up on ${bridge} (${hosts.map((h) => `${h.name} ${h.address}`).join(', ')}); use --hosts-file ${file}`);
  return { file, hosts: hosts.map(({ name, address }) => ({ name, address })) };
}

async function waitListening(host: string, port: number, timeoutMs: number, logFile: string): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect({ host, port }, () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' / ') : '';
      throw new Error(`sshd on ${host}:${port} did not listen within ${timeoutMs} ms${tail ? `: ${tail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Removes what `hosts up` made in `dir`; returns what it removed (nothing if nothing is recorded). */
export function hostsDown(o: { dir: string }): { namespaces: number; processes: number } {
  const dir = resolve(o.dir);
  const file = join(dir, HOSTS_FILE);
  let made: HostsFile['made'];
  try {
    made = (JSON.parse(readFileSync(file, 'utf8')) as HostsFile).made;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { namespaces: 0, processes: 0 };
    throw new UserError(`${file}: not a hosts file tenrec wrote (${(err as Error).message})`);
  }
  if (!made || typeof made.bridge !== 'string' || !BRIDGE.test(made.bridge) || !Array.isArray(made.namespaces) || !made.namespaces.every((n) => typeof n === 'string' && NS.test(n) && n.startsWith(`tenrec-h${made!.bridge.slice(3, 8)}-`))) {
    throw new UserError(`${file}: its "made" record is not one tenrec hosts up writes; remove the hosts by hand`);
  }
  let processes = 0;
  let namespaces = 0;
  const present = new Set((spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').split('\n').map((l) => l.split(' ')[0]));
  for (const ns of made.namespaces) {
    if (!present.has(ns)) continue;
    // Whatever lives in a namespace `up` made is the host's: its sshd and what its sessions left.
    // (A token in the environment would not find sshd: it writes its process title over it.)
    for (const pid of namespacePids(ns)) {
      try {
        process.kill(pid, 'SIGKILL');
        processes++;
      } catch {
        /* gone */
      }
    }
    if (run(['ip', 'netns', 'del', ns]).ok) namespaces++;
  }
  run(['ip', 'link', 'del', made.bridge]);
  rmSync(file, { force: true });
  return { namespaces, processes };
}

/** The processes in a namespace (`ip netns pids`). */
function namespacePids(ns: string): number[] {
  const out = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
  return out.split('\n').map(Number).filter((p) => Number.isInteger(p) && p > 1 && p !== process.pid);
}
