// Runs one node process from already-parsed flags: shared by `tenrec node` (yargs) and the
// lean entry src/systems/paxos/node/main.ts the cluster code starts (no yargs, bundled for a fast start).
import { resolve } from 'node:path';
import { createReplica } from '../core/index.ts';
import { EXIT_ERROR } from '../../../errors/exit-codes.ts';
import { UserError } from '../../../errors/user-error.ts';
import { startNode } from './node.ts';
import { NodeArgsError, parseBugs, parseElection, parseMembers, parsePeers, parseRange } from './node-args.ts';
import { WalCorruptError, WalOpenError } from './wal.ts';

export interface NodeFlags {
  id: string;
  members: string;
  httpPort: number;
  peerPort: number;
  peer: string[];
  dir: string;
  bug: string[];
  host: string;
  requestTimeoutMs: number;
  tickMs: number;
  fsync: boolean;
  electionTimeoutMs?: string;
  election?: string;
  heartbeatMs?: number;
  snapshotEvery?: number;
  leaseMs?: number;
  /** Not among --members: joins later as a non-voter. */
  spare?: boolean;
}

export const NODE_FLAG_DEFAULTS = { host: '127.0.0.1', requestTimeoutMs: 2000, tickMs: 10, fsync: true } as const;

function port(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new UserError(`${flag} must be a port number, got ${value}`);
  return value;
}

function positive(value: number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) throw new UserError(`${flag} must be a positive integer, got ${value}`);
  return value;
}

/** Start the node and keep it running until SIGTERM/SIGINT. Bad input throws UserError. */
export async function runNode(f: NodeFlags): Promise<void> {
  let node: Awaited<ReturnType<typeof startNode>>;
  try {
    const members = parseMembers(f.members, f.id, f.spare ?? false);
    const heartbeatMs = positive(f.heartbeatMs, '--heartbeat-ms');
    const snapshotEvery = positive(f.snapshotEvery, '--snapshot-every');
    const leaseMs = positive(f.leaseMs, '--lease-ms');
    node = await startNode({
      id: f.id,
      members,
      dir: resolve(f.dir),
      host: f.host,
      httpPort: port(f.httpPort, '--http-port'),
      peerPort: port(f.peerPort, '--peer-port'),
      peers: parsePeers(f.peer, members, f.id),
      bugs: parseBugs(f.bug),
      createCore: createReplica,
      requestTimeoutMs: positive(f.requestTimeoutMs, '--request-timeout-ms')!,
      tickMs: positive(f.tickMs, '--tick-ms')!,
      fsync: f.fsync,
      ...(f.electionTimeoutMs ? { electionTimeoutMs: parseRange(f.electionTimeoutMs, '--election-timeout-ms') } : {}),
      ...(f.election ? { election: parseElection(f.election) } : {}),
      ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
      ...(snapshotEvery !== undefined ? { snapshotEvery } : {}),
      ...(leaseMs !== undefined ? { leaseMs } : {}),
      // The node cannot keep its promises any more (disk failure, core bug): stop serving now.
      onFatal: () => process.exit(EXIT_ERROR),
    });
  } catch (err) {
    if (err instanceof NodeArgsError || err instanceof WalCorruptError || err instanceof WalOpenError) throw new UserError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new UserError(`node ${f.id}: cannot listen: ${(err as Error).message}`);
    }
    throw err;
  }
  const shutdown = (signal: string) => {
    node.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`tenrec node ${f.id}: unclean shutdown on ${signal}: ${String(err)}\n`);
        process.exit(EXIT_ERROR);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
