// `<dir>/cluster.json`: everything needed to find, signal and restart a cluster's node
// processes from another process (the `tenrec cluster …` commands run one per invocation).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BugName, NodeId } from '../paxos/types.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';

export const CLUSTER_FILE = 'cluster.json';

export interface ClusterNodeRecord {
  id: NodeId;
  pid: number;
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
}

export interface ClusterRecord {
  version: 1;
  dir: string;
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

/** Returns null when there is no cluster file; throws with the file name when it is unreadable. */
export function readClusterFile(dir: string): ClusterRecord | null {
  const path = clusterFilePath(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const rec = value as Partial<ClusterRecord>;
  if (rec?.version !== 1 || !Array.isArray(rec.nodes) || !Array.isArray(rec.members)) {
    throw new Error(`${path}: not a tenrec cluster file (expected version 1 with members and nodes)`);
  }
  return rec as ClusterRecord;
}
