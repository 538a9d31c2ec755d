// `tenrec cluster start|status|add|remove|kill|pause|resume|restart|stop`: a local Paxos register
// cluster to play with by hand. Nodes run detached; `<dir>/cluster.json` remembers them between commands.
import type { Argv, CommandModule } from 'yargs';
import { Cluster, ClusterError, openCluster, startCluster } from '../cluster/cluster.ts';
import { BUG_NAMES, type BugName } from '../types.ts';
import { UserError } from '../../../errors/user-error.ts';

const DEFAULT_DIR = 'results/cluster';

interface DirArgs {
  dir: string;
}

function withDir<T>(y: Argv<T>): Argv<T & DirArgs> {
  return y.option('dir', { type: 'string', default: DEFAULT_DIR, describe: 'cluster directory (cluster.json, one folder per node)' });
}

function mustOpen(dir: string): Cluster {
  let cluster: Cluster | null;
  try {
    cluster = openCluster(dir);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  if (!cluster) throw new UserError(`no cluster in ${dir} (no cluster.json); start one with: tenrec cluster start --dir ${dir}`);
  return cluster;
}

/** Cluster failures a user can act on (bad node name, nothing running) print without a stack. */
async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ClusterError) throw new UserError(err.message);
    throw err;
  }
}

function nodeAction(name: 'kill' | 'pause' | 'resume' | 'restart', describe: string): CommandModule<object, DirArgs & { node: string }> {
  return {
    command: `${name} <node>`,
    describe,
    builder: (y) => withDir(y).positional('node', { type: 'string', demandOption: true, describe: 'node id, e.g. n2' }),
    handler: (argv) =>
      userErrors(async () => {
        const cluster = mustOpen(argv.dir);
        await cluster[name](argv.node);
        process.stdout.write(`${name} ${argv.node}: done\n`);
      }),
  };
}

function memberAction(name: 'add' | 'remove', describe: string): CommandModule<object, DirArgs & { node: string; 'timeout-ms': number }> {
  return {
    command: `${name} <node>`,
    describe,
    builder: (y) =>
      withDir(y)
        .positional('node', { type: 'string', demandOption: true, describe: name === 'add' ? 'a spare of the cluster (tenrec cluster start --spares N), or a member removed earlier' : 'a member, e.g. n2 (the leader too: it hands over)' })
        .option('timeout-ms', { type: 'number', default: 30_000, describe: 'give up after this long' }),
    handler: (argv) =>
      userErrors(async () => {
        const cluster = mustOpen(argv.dir);
        const started = Date.now();
        const progress = (line: string) => process.stderr.write(`tenrec cluster ${name}: ${line}\n`);
        if (name === 'add') await cluster.addMember(argv.node, argv['timeout-ms'], progress);
        else await cluster.removeMember(argv.node, argv['timeout-ms'], progress);
        const config = await cluster.configuration();
        process.stdout.write(`${name} ${argv.node}: done in ${Date.now() - started} ms; voters ${config?.voters.join(',') ?? '?'} (since slot ${config?.slot ?? '?'})\n`);
      }),
  };
}

interface StartArgs extends DirArgs {
  nodes: number;
  spares: number;
  'base-port'?: number;
  bug: string[];
}

const start: CommandModule<object, StartArgs> = {
  command: 'start',
  describe: 'Start N nodes in the background, wait for a leader, print the nodes as JSON',
  builder: (y) =>
    withDir(y)
      .option('nodes', { type: 'number', default: 3, describe: 'number of nodes' })
      .option('spares', { type: 'number', default: 0, describe: 'nodes beyond those, not started, that `tenrec cluster add` can add later' })
      .option('base-port', { type: 'number', describe: 'node i gets HTTP port P+2i and peer port P+2i+1 (default: free ports)' })
      .option('bug', { type: 'string', array: true, default: [], describe: `switch on a bug (repeatable): ${BUG_NAMES.join(', ')}` }),
  handler: (argv) =>
    userErrors(async () => {
      for (const b of argv.bug) {
        if (!(BUG_NAMES as readonly string[]).includes(b)) throw new UserError(`unknown --bug ${b} (known: ${BUG_NAMES.join(', ')})`);
      }
      if (!Number.isInteger(argv.nodes) || argv.nodes < 1) throw new UserError(`--nodes must be a positive integer, got ${argv.nodes}`);
      const cluster = await startCluster({
        dir: argv.dir,
        nodes: argv.nodes,
        spares: argv.spares,
        bugs: argv.bug as BugName[],
        ...(argv['base-port'] !== undefined ? { basePort: argv['base-port'] } : {}),
      });
      const { dir, nodes } = cluster.toJSON();
      process.stdout.write(JSON.stringify({ dir, nodes: nodes.map(({ id, pid, url, spare }) => (spare ? { id, url, spare } : { id, pid, url })) }) + '\n');
    }),
};

const status: CommandModule<object, DirArgs & { json: boolean }> = {
  command: 'status',
  describe: 'Show each node: process state, role, leader, ballot, commit index',
  builder: (y) => withDir(y).option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
  handler: (argv) =>
    userErrors(async () => {
      const cluster = mustOpen(argv.dir);
      const nodes = await cluster.status();
      if (argv.json) {
        process.stdout.write(JSON.stringify({ dir: cluster.dir, nodes }) + '\n');
        return;
      }
      const rows = nodes.map((n) => {
        const s = n.status as { role?: string; leader?: string | null; ballot?: { round: number; node: string }; commitIndex?: number; configuration?: { voters: string[]; learners: string[] } } | null;
        const vote = !s?.configuration ? '-' : s.configuration.voters.includes(n.id) ? 'voter' : s.configuration.learners.includes(n.id) ? 'learner' : 'none';
        return [
          n.id,
          String(n.pid),
          n.process,
          s?.role ?? '-',
          s ? String(s.leader ?? 'none') : '-',
          s?.ballot ? `${s.ballot.round}.${s.ballot.node}` : '-',
          s?.commitIndex !== undefined ? String(s.commitIndex) : '-',
          vote,
          n.url,
        ];
      });
      for (const id of cluster.spares) rows.push([id, '-', 'spare', '-', '-', '-', '-', '-', '-']);
      const header = ['node', 'pid', 'process', 'role', 'leader', 'ballot', 'commit', 'votes', 'url'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const r of [header, ...rows]) process.stdout.write(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n');
    }),
};

const stop: CommandModule<object, DirArgs> = {
  command: 'stop',
  describe: 'Stop every node (SIGTERM, then SIGKILL); leaves no process behind',
  builder: (y) => withDir(y),
  handler: (argv) =>
    userErrors(async () => {
      await mustOpen(argv.dir).stop();
      process.stdout.write('stopped\n');
    }),
};

export const clusterCommand: CommandModule = {
  command: 'cluster <command>',
  describe: 'Run a local Paxos register cluster by hand: start, status, add, remove, kill, pause, resume, restart, stop',
  builder: (y) =>
    y
      .command(start)
      .command(status)
      .command(memberAction('add', 'Start a spare and add it through the log (it catches up as a learner, then votes)'))
      .command(memberAction('remove', 'Remove a member through the log, then stop it (a leader hands over first)'))
      .command(nodeAction('kill', 'SIGKILL a node (crash)'))
      .command(nodeAction('pause', 'SIGSTOP a node'))
      .command(nodeAction('resume', 'SIGCONT a paused node'))
      .command(nodeAction('restart', 'Start a node again on its data (stopping it first if running)'))
      .command(stop)
      .demandCommand(1, 'Name a cluster command: start, status, add, remove, kill, pause, resume, restart, stop'),
  handler: () => {},
};
