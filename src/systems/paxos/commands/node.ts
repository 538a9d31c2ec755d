// `tenrec node`: one replica of the Paxos register cluster as a foreground process. Normally
// started by `tenrec cluster start` (or the test runner), one per member.
import type { CommandModule } from 'yargs';
import { NODE_FLAG_DEFAULTS, runNode } from '../node/run-node.ts';

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
  election?: string;
  'heartbeat-ms'?: number;
  'snapshot-every'?: number;
  'lease-ms'?: number;
  spare: boolean;
}

export const nodeCommand: CommandModule<object, NodeArgs> = {
  command: 'node',
  describe: 'Run one replica of the Paxos register cluster (normally started by `tenrec cluster start`)',
  builder: (y) =>
    y
      .option('id', { type: 'string', demandOption: true, describe: 'this node\'s id, e.g. n1' })
      .option('members', { type: 'string', demandOption: true, describe: 'the initial voters, comma-separated, e.g. n1,n2,n3 (the same on every node; the log decides who votes later)' })
      .option('spare', { type: 'boolean', default: false, describe: 'this node is not among --members: it starts as a non-voter and votes once `tenrec cluster add` adds it' })
      .option('http-port', { type: 'number', demandOption: true, describe: 'client HTTP API port' })
      .option('peer-port', { type: 'number', demandOption: true, describe: 'port peers dial to send to this node' })
      .option('peer', { type: 'string', array: true, default: [], describe: 'NODE=host:port this node dials to reach NODE (one per other node that is or may become a member)' })
      .option('dir', { type: 'string', demandOption: true, describe: 'data directory (wal.log, node.log)' })
      .option('bug', { type: 'string', array: true, default: [], describe: 'switch on a realistic bug (repeatable)' })
      .option('host', { type: 'string', default: NODE_FLAG_DEFAULTS.host, describe: 'address to bind both listeners to' })
      .option('request-timeout-ms', { type: 'number', default: NODE_FLAG_DEFAULTS.requestTimeoutMs, describe: 'answer 504 after this long without an outcome' })
      .option('tick-ms', { type: 'number', default: NODE_FLAG_DEFAULTS.tickMs, describe: 'timer resolution fed to the core' })
      .option('fsync', { type: 'boolean', default: NODE_FLAG_DEFAULTS.fsync, describe: 'fsync the write-ahead log (--no-fsync for throwaway runs)' })
      .option('election-timeout-ms', { type: 'string', describe: 'MIN,MAX randomized election timeout' })
      .option('election', { type: 'string', describe: 'random (default: timeouts drawn at random) or bully (fixed by rank: the highest live id stands first)' })
      .option('heartbeat-ms', { type: 'number', describe: 'leader heartbeat interval' })
      .option('snapshot-every', { type: 'number', describe: 'snapshot and compact every this many applied slots' })
      .option('lease-ms', { type: 'number', describe: 'leader leases: a follower backs its leader for this many ms after hearing it, and the leader answers reads alone meanwhile (default: off; docs/paxos-design.md)' }),
  handler: (argv) =>
    runNode({
      id: argv.id,
      members: argv.members,
      httpPort: argv['http-port'],
      peerPort: argv['peer-port'],
      peer: argv.peer,
      dir: argv.dir,
      bug: argv.bug,
      host: argv.host,
      requestTimeoutMs: argv['request-timeout-ms'],
      tickMs: argv['tick-ms'],
      fsync: argv.fsync,
      spare: argv.spare,
      ...(argv['election-timeout-ms'] !== undefined ? { electionTimeoutMs: argv['election-timeout-ms'] } : {}),
      ...(argv.election !== undefined ? { election: argv.election } : {}),
      ...(argv['heartbeat-ms'] !== undefined ? { heartbeatMs: argv['heartbeat-ms'] } : {}),
      ...(argv['snapshot-every'] !== undefined ? { snapshotEvery: argv['snapshot-every'] } : {}),
      ...(argv['lease-ms'] !== undefined ? { leaseMs: argv['lease-ms'] } : {}),
    }),
};
