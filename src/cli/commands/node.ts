// `tenrec node`: one replica of the Paxos register cluster as a foreground process. Normally
// started by `tenrec cluster start` (or the test runner), one per member.
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { createReplica } from '../../paxos/core/index.ts';
import { startNode } from '../../paxos/node/node.ts';
import { NodeArgsError, parseBugs, parseMembers, parsePeers, parseRange } from '../../paxos/node/node-args.ts';
import { WalCorruptError } from '../../paxos/node/wal.ts';
import { EXIT_ERROR } from '../exit-codes.ts';
import { UserError } from '../user-error.ts';

interface NodeArgs {
  id: string;
  members: string;
  'http-port': number;
  'peer-port': number;
  peer: string[];
  dir: string;
  bug: string[];
  host: string;
  'request-timeout-ms': number;
  'tick-ms': number;
  fsync: boolean;
  'election-timeout-ms'?: string;
  'heartbeat-ms'?: number;
  'snapshot-every'?: number;
}

function port(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new UserError(`${flag} must be a port number, got ${value}`);
  return value;
}

export const nodeCommand: CommandModule<object, NodeArgs> = {
  command: 'node',
  describe: 'Run one replica of the Paxos register cluster (normally started by `tenrec cluster start`)',
  builder: (y) =>
    y
      .option('id', { type: 'string', demandOption: true, describe: 'this node\'s id, e.g. n1' })
      .option('members', { type: 'string', demandOption: true, describe: 'every member, comma-separated, e.g. n1,n2,n3' })
      .option('http-port', { type: 'number', demandOption: true, describe: 'client HTTP API port' })
      .option('peer-port', { type: 'number', demandOption: true, describe: 'port peers dial to send to this node' })
      .option('peer', { type: 'string', array: true, default: [], describe: 'NODE=host:port this node dials to reach NODE (one per other member)' })
      .option('dir', { type: 'string', demandOption: true, describe: 'data directory (wal.log, node.log)' })
      .option('bug', { type: 'string', array: true, default: [], describe: 'switch on a realistic bug (repeatable)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to bind both listeners to' })
      .option('request-timeout-ms', { type: 'number', default: 2000, describe: 'answer 504 after this long without an outcome' })
      .option('tick-ms', { type: 'number', default: 10, describe: 'timer resolution fed to the core' })
      .option('fsync', { type: 'boolean', default: true, describe: 'fsync the write-ahead log (--no-fsync for throwaway runs)' })
      .option('election-timeout-ms', { type: 'string', describe: 'MIN,MAX randomized election timeout' })
      .option('heartbeat-ms', { type: 'number', describe: 'leader heartbeat interval' })
      .option('snapshot-every', { type: 'number', describe: 'snapshot and compact every this many applied slots' }),
  handler: async (argv) => {
    let node: Awaited<ReturnType<typeof startNode>>;
    try {
      const members = parseMembers(argv.members, argv.id);
      node = await startNode({
        id: argv.id,
        members,
        dir: resolve(argv.dir),
        host: argv.host,
        httpPort: port(argv['http-port'], '--http-port'),
        peerPort: port(argv['peer-port'], '--peer-port'),
        peers: parsePeers(argv.peer, members, argv.id),
        bugs: parseBugs(argv.bug),
        createCore: createReplica,
        requestTimeoutMs: argv['request-timeout-ms'],
        tickMs: argv['tick-ms'],
        fsync: argv.fsync,
        ...(argv['election-timeout-ms'] ? { electionTimeoutMs: parseRange(argv['election-timeout-ms'], '--election-timeout-ms') } : {}),
        ...(argv['heartbeat-ms'] !== undefined ? { heartbeatMs: argv['heartbeat-ms'] } : {}),
        ...(argv['snapshot-every'] !== undefined ? { snapshotEvery: argv['snapshot-every'] } : {}),
        // The node cannot keep its promises any more (disk failure, core bug): stop serving now.
        onFatal: () => process.exit(EXIT_ERROR),
      });
    } catch (err) {
      if (err instanceof NodeArgsError || err instanceof WalCorruptError) throw new UserError(err.message);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        throw new UserError(`node ${argv.id}: cannot listen: ${(err as Error).message}`);
      }
      throw err;
    }
    const shutdown = (signal: string) => {
      node.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`tenrec node ${argv.id}: unclean shutdown on ${signal}: ${String(err)}\n`);
          process.exit(EXIT_ERROR);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  },
};
