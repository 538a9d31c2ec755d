// Partitions by real packet filtering (`--net netns`): each node lives in its own network
// namespace, wired to a private bridge by a veth pair, and a directed cut a→b is a traffic-control
// filter on a's interface that sends its packets for b into a queue of length zero, so they are
// dropped silently, as an iptables DROP on OUTPUT would (connections hang; nothing is refused).
// tc's htb + u32 classification needs no extra kernel action module and no iptables binary.
// Needs root and iproute2 (`ip`, `tc`). The fault proxy (proxy.ts) stays the default: it needs
// neither, and works wherever the runner does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { NetFaults } from '../system/db.ts';
import { blackholeCuts, blackholeHealArgs, blackholeSetup } from './tc-blackhole.ts';

/** What one run created, written to `<clusterDir>/netns.json` before creating it, so a reaper finds it. */
export interface NetnsLayout {
  bridge: string;
  /** The bridge's address (the runner reaches the nodes through it). */
  hostIp: string;
  nodes: { id: string; ns: string; veth: string; ip: string }[];
}

const LAYOUT_FILE = 'netns.json';
/** Nodes' addresses are 10.213.K.x/24, one K per concurrent run. */
const PREFIX = '10.213';
const DEV = 'eth0';
/** The root queueing discipline's handle in each namespace (tc-blackhole.ts). */
const Q = '1:';

/** Why `--net netns` cannot work here, or null if it can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces exist on Linux only';
  if (process.getuid?.() !== 0) return 'it needs root (network namespaces, veth pairs and tc filters)';
  for (const tool of ['ip', 'tc']) {
    const r = spawnSync(tool, ['-V'], { encoding: 'utf8' });
    if (r.error) return `it needs iproute2's \`${tool}\` on the PATH`;
  }
  return null;
}

export function run(argv: string[], input?: string): { ok: boolean; stderr: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8' });
  return { ok: !r.error && r.status === 0, stderr: (r.stderr || r.error?.message || '').trim() };
}

export function must(argv: string[], input?: string): void {
  const r = run(argv, input);
  if (!r.ok) throw new Error(`${argv.join(' ')}: ${r.stderr || 'failed'}`);
}

/** A third octet that no interface on this host uses yet, under `prefix` (two octets). */
export function freeSubnet(prefix = PREFIX): string {
  const used = new Set<number>();
  const r = spawnSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' });
  for (const m of (r.stdout ?? '').matchAll(new RegExp(`inet ${prefix.replace('.', '\\.')}\\.(\\d+)\\.`, 'g'))) used.add(Number(m[1]));
  const start = 1 + Math.floor(Math.random() * 254);
  for (let i = 0; i < 254; i++) {
    const k = ((start - 1 + i) % 254) + 1;
    if (!used.has(k)) return `${prefix}.${k}`;
  }
  throw new Error(`no free ${prefix}.K.0/24 subnet left for a namespace network`);
}

export class NamespaceNet implements NetFaults {
  private constructor(
    readonly layout: NetnsLayout,
    private readonly file: string,
  ) {}

  /** Creates one namespace per node on a fresh bridge; on failure removes what it made. */
  static create(ids: readonly string[], clusterDir: string): NamespaceNet {
    const why = netnsUnavailable();
    if (why) throw new Error(`--net netns is not available: ${why}`);
    const tag = Math.random().toString(36).slice(2, 7).padEnd(5, '0');
    const subnet = freeSubnet();
    const layout: NetnsLayout = {
      bridge: `tnr${tag}br`,
      hostIp: `${subnet}.1`,
      nodes: ids.map((id, i) => ({ id, ns: `tenrec-${tag}-${id}`, veth: `tnr${tag}${i}`, ip: `${subnet}.${i + 2}` })),
    };
    const file = path.join(clusterDir, LAYOUT_FILE);
    fs.mkdirSync(clusterDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(layout));
    const net = new NamespaceNet(layout, file);
    try {
      must(['ip', 'link', 'add', layout.bridge, 'type', 'bridge']);
      must(['ip', 'addr', 'add', `${layout.hostIp}/24`, 'dev', layout.bridge]);
      must(['ip', 'link', 'set', layout.bridge, 'up']);
      for (const n of layout.nodes) {
        must(['ip', 'netns', 'add', n.ns]);
        must(['ip', 'link', 'add', n.veth, 'type', 'veth', 'peer', 'name', DEV, 'netns', n.ns]);
        must(['ip', 'link', 'set', n.veth, 'master', layout.bridge, 'up']);
        must(['ip', '-n', n.ns, '-batch', '-'], [`addr add ${n.ip}/24 dev ${DEV}`, `link set ${DEV} up`, 'link set lo up'].join('\n'));
        must(['tc', '-n', n.ns, '-batch', '-'], blackholeSetup(DEV, Q, '20:').join('\n'));
      }
    } catch (err) {
      net.destroy();
      throw err;
    }
    return net;
  }

  /** Where node `id` listens, and how to start a process inside its namespace. */
  placement(id: string): { host: string; wrap: string[] } {
    const n = this.node(id);
    return { host: n.ip, wrap: ['ip', 'netns', 'exec', n.ns] };
  }

  private node(id: string) {
    const n = this.layout.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`no namespace for node ${id}`);
    return n;
  }

  blackhole(drops: (from: string, to: string) => boolean): void {
    for (const from of this.layout.nodes) {
      const cut = this.layout.nodes.filter((to) => to !== from && drops(from.id, to.id));
      run(['tc', '-n', from.ns, ...blackholeHealArgs(DEV, Q)]);
      if (cut.length > 0) must(['tc', '-n', from.ns, '-batch', '-'], blackholeCuts(DEV, Q, cut.map((to) => to.ip)).join('\n'));
    }
  }

  heal(): void {
    for (const n of this.layout.nodes) run(['tc', '-n', n.ns, ...blackholeHealArgs(DEV, Q)]);
  }

  /** The tc filters now in force in a namespace (for tests and diagnostics). */
  filtersOf(ns: string): string {
    return spawnSync('tc', ['-n', ns, 'filter', 'show', 'dev', DEV], { encoding: 'utf8' }).stdout ?? '';
  }

  /** Deletes the namespaces and the bridge (the veth pairs go with them). Safe to call twice. */
  destroy(): void {
    destroyLayout(this.layout);
    fs.rmSync(this.file, { force: true });
  }
}

function destroyLayout(layout: NetnsLayout): void {
  for (const n of layout.nodes) run(['ip', 'netns', 'del', n.ns]);
  run(['ip', 'link', 'del', layout.bridge]);
}

/** Names `create` gives, and only those: a recorded layout naming anything else is not ours. */
const NS_NAME = /^tenrec-[a-z0-9]{5}-n\d{1,4}$/;
const BRIDGE_NAME = /^tnr[a-z0-9]{5}br$/;

function isOurLayout(v: unknown): v is NetnsLayout {
  const l = v as Partial<NetnsLayout> | null;
  return !!l && typeof l.bridge === 'string' && BRIDGE_NAME.test(l.bridge) && Array.isArray(l.nodes) &&
    l.nodes.every((n) => typeof n?.ns === 'string' && NS_NAME.test(n.ns) && n.ns.startsWith(`tenrec-${l.bridge!.slice(3, 8)}-`));
}

/**
 * Removes the namespaces a (dead) run recorded in its cluster directory, if any. The caller has
 * proved the directory is the run's; the names in the file must still be ones `create` makes.
 */
export function destroyRecordedNamespaces(clusterDir: string): boolean {
  const file = path.join(clusterDir, LAYOUT_FILE);
  let layout: unknown;
  try {
    layout = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
  if (!isOurLayout(layout)) return false;
  destroyLayout(layout);
  fs.rmSync(file, { force: true });
  return true;
}
