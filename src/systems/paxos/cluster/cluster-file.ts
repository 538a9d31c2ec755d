// `<dir>/cluster.json`: everything needed to find, signal and restart a cluster's node
// processes from another process (the `tenrec cluster …` commands run one per invocation).
// The file may be damaged or crafted: it is validated once here, node directories must be
// `<dir>/<id>`, and nothing in it is trusted to pick a process or a path to destroy (ownership.ts).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isToken } from '../../../process/ownership.ts';
import type { BugName, NodeId } from '../types.ts';
import { writeFileAtomic } from '../../../store/atomic-write.ts';

export const CLUSTER_FILE = 'cluster.json';

export interface ClusterNodeRecord {
  id: NodeId;
  pid: number;
  /** The pid's start time (/proc/PID/stat field 22), so a reused pid is never taken for ours. */
  startTime?: string;
  url: string;
  httpPort: number;
  peerPort: number;
  /** The address this node dials for each other member ("host:port"; may be a fault proxy). */
  peers: Record<NodeId, string>;
  /** This node's data directory (WAL, node.log, stderr.log). */
  dir: string;
  /** Extra `tenrec node` flags this node was started with, reused on restart. */
  extraArgs: string[];
  /** The address it listens on when not 127.0.0.1 (its own network namespace's). */
  host?: string;
  /** Command prefix it runs under, e.g. ["ip", "netns", "exec", "tenrec-x-n1"]. */
  wrap?: string[];
  /**
   * Not in the cluster now: a spare never added, or a member removed (`tenrec cluster add`
   * starts it and adds it). Its process is not running.
   */
  out?: boolean;
}

export interface ClusterRecord {
  version: 2;
  dir: string;
  /** Every node is started with this token in its environment (ownership.ts). */
  token: string;
  members: NodeId[];
  bugs: BugName[];
  env: Record<string, string>;
  /** Flags for the node binary (before the script), e.g. --cpu-prof. */
  execArgv?: string[];
  /** How to run the node entry (the bundle in this dir, or tsx and the TypeScript source). */
  entry?: string[];
  nodes: ClusterNodeRecord[];
}

export function clusterFilePath(dir: string): string {
  return join(dir, CLUSTER_FILE);
}

export function writeClusterFile(record: ClusterRecord): void {
  writeFileAtomic(clusterFilePath(record.dir), JSON.stringify(record, null, 2) + '\n');
}

export class ClusterFileError extends Error {
  override name = 'ClusterFileError';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isPort = (v: unknown) => Number.isInteger(v) && (v as number) > 0 && (v as number) < 65536;

/**
 * Returns null when there is no cluster file; throws a ClusterFileError naming the file and the
 * problem when it is unreadable, damaged, from an older tenrec, or describes anything but a
 * cluster living in `dir`.
 */
export function readClusterFile(dir: string): ClusterRecord | null {
  const path = clusterFilePath(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new ClusterFileError(`${path}: cannot read (${code ?? (err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ClusterFileError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const bad = (what: string) => new ClusterFileError(`${path}: ${what}`);
  if (!isObject(value)) throw bad('not a tenrec cluster file (expected a JSON object)');
  if (value.version === 1) throw bad('written by an older tenrec, whose node processes cannot be proved to be ours; stop them by hand and remove the file');
  if (value.version !== 2) throw bad('not a tenrec cluster file (expected "version": 2)');
  if (typeof value.dir !== 'string' || resolve(value.dir) !== resolve(dir)) throw bad(`"dir" must be this directory (${resolve(dir)})`);
  if (!isToken(value.token)) throw bad('"token" is missing or malformed');
  if (!isStringArray(value.members) || !isStringArray(value.bugs)) throw bad('"members" and "bugs" must be lists of names');
  if (!isObject(value.env) || !Object.values(value.env).every((v) => typeof v === 'string')) throw bad('"env" must map names to strings');
  if (value.execArgv !== undefined && !isStringArray(value.execArgv)) throw bad('"execArgv" must be a list of strings');
  if (value.entry !== undefined && !isStringArray(value.entry)) throw bad('"entry" must be a list of strings');
  if (!Array.isArray(value.nodes)) throw bad('"nodes" must be a list');
  value.nodes.forEach((n: unknown, i: number) => {
    const where = `nodes[${i}]`;
    if (!isObject(n)) throw bad(`${where} is not an object`);
    if (typeof n.id !== 'string' || !/^n\d{1,4}$/.test(n.id)) throw bad(`${where}.id must look like n1`);
    if (!Number.isInteger(n.pid) || (n.pid as number) < 0) throw bad(`${where}.pid must be a non-negative integer`);
    if (n.startTime !== undefined && typeof n.startTime !== 'string') throw bad(`${where}.startTime must be a string`);
    if (typeof n.url !== 'string' || !isPort(n.httpPort) || !isPort(n.peerPort)) throw bad(`${where} needs a url and two ports`);
    if (n.dir !== join(resolve(dir), n.id)) throw bad(`${where}.dir must be ${join(resolve(dir), n.id)}, got ${JSON.stringify(n.dir)}`);
    if (!isObject(n.peers) || !Object.values(n.peers).every((v) => typeof v === 'string')) throw bad(`${where}.peers must map ids to addresses`);
    if (!isStringArray(n.extraArgs)) throw bad(`${where}.extraArgs must be a list of strings`);
    if (n.wrap !== undefined && !isStringArray(n.wrap)) throw bad(`${where}.wrap must be a list of strings`);
    if (n.out !== undefined && typeof n.out !== 'boolean') throw bad(`${where}.out must be true or false`);
  });
  return value as unknown as ClusterRecord;
}
