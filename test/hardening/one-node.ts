// A one-node cluster for a describe block: started on first use, stopped (and its dir removed)
// after the block. One node is its own quorum, so what it answers is what the cluster answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startCluster, type Cluster } from '../../src/systems/paxos/cluster/cluster.ts';

export function oneNodeCluster(prefix: string): () => Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `tenrec-${prefix}-`));
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  /** The node's URL, once it serves. */
  return async () => {
    cluster ??= await startCluster({ dir, nodes: 1 });
    return cluster.node('n1').url;
  };
}
