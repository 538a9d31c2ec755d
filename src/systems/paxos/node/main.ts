// Entry point of a node process started by the cluster code: the flags of `tenrec node`,
// parsed with node:util instead of yargs so this file and what it imports bundle into one
// plain JS file (see src/systems/paxos/cluster/node-entry.ts): a node then starts in about a second instead
// of several, which matters every time the nemesis restarts one.
import { parseArgs } from 'node:util';
import { EXIT_ERROR } from '../../../errors/exit-codes.ts';
import { UserError } from '../../../errors/user-error.ts';
import { NODE_FLAG_DEFAULTS, runNode, type NodeFlags } from './run-node.ts';

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UserError(`${flag} must be a number, got "${value}"`);
  return n;
}

function parse(argv: string[]): NodeFlags {
  const args = argv[0] === 'node' ? argv.slice(1) : argv;
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        id: { type: 'string' },
        members: { type: 'string' },
        'http-port': { type: 'string' },
        'peer-port': { type: 'string' },
        peer: { type: 'string', multiple: true },
        dir: { type: 'string' },
        bug: { type: 'string', multiple: true },
        host: { type: 'string' },
        'request-timeout-ms': { type: 'string' },
        'tick-ms': { type: 'string' },
        fsync: { type: 'boolean' },
        spare: { type: 'boolean' },
        'no-fsync': { type: 'boolean' },
        'election-timeout-ms': { type: 'string' },
        'heartbeat-ms': { type: 'string' },
        'snapshot-every': { type: 'string' },
        'lease-ms': { type: 'string' },
        election: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  for (const required of ['id', 'members', 'http-port', 'peer-port', 'dir'] as const) {
    if (values[required] === undefined) throw new UserError(`missing required flag --${required}`);
  }
  const flags: NodeFlags = {
    id: values.id!,
    members: values.members!,
    httpPort: number(values['http-port'], '--http-port')!,
    peerPort: number(values['peer-port'], '--peer-port')!,
    peer: values.peer ?? [],
    dir: values.dir!,
    bug: values.bug ?? [],
    host: values.host ?? NODE_FLAG_DEFAULTS.host,
    requestTimeoutMs: number(values['request-timeout-ms'], '--request-timeout-ms') ?? NODE_FLAG_DEFAULTS.requestTimeoutMs,
    tickMs: number(values['tick-ms'], '--tick-ms') ?? NODE_FLAG_DEFAULTS.tickMs,
    fsync: values['no-fsync'] ? false : (values.fsync ?? NODE_FLAG_DEFAULTS.fsync),
    spare: values.spare ?? false,
  };
  if (values['election-timeout-ms'] !== undefined) flags.electionTimeoutMs = values['election-timeout-ms'];
  if (values.election !== undefined) flags.election = values.election;
  const hb = number(values['heartbeat-ms'], '--heartbeat-ms');
  if (hb !== undefined) flags.heartbeatMs = hb;
  const se = number(values['snapshot-every'], '--snapshot-every');
  if (se !== undefined) flags.snapshotEvery = se;
  const lease = number(values['lease-ms'], '--lease-ms');
  if (lease !== undefined) flags.leaseMs = lease;
  return flags;
}

try {
  await runNode(parse(process.argv.slice(2)));
} catch (err) {
  if (err instanceof UserError) process.stderr.write(`tenrec node: ${err.message}\n`);
  else process.stderr.write(`tenrec node: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(EXIT_ERROR);
}
