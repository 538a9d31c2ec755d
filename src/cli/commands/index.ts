import type { CommandModule } from 'yargs';
import { checkCommand } from './check.ts';
import { testCommand } from './test.ts';
import { campaignCommand } from './campaign.ts';
import { showCommand } from './show.ts';
import { runsCommand } from './runs.ts';
import { serveCommand } from './serve.ts';
import { mergeCommand } from './merge.ts';
import { hostsCommand } from './hosts.ts';
import { clusterCommand } from '../../systems/paxos/commands/cluster.ts';
import { nodeCommand } from '../../systems/paxos/commands/node.ts';
import { simCommand } from '../../systems/paxos/commands/sim.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  checkCommand,
  testCommand,
  campaignCommand,
  showCommand,
  runsCommand,
  serveCommand,
  mergeCommand,
  clusterCommand,
  nodeCommand,
  simCommand,
  hostsCommand,
];
