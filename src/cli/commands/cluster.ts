import type { CommandModule } from 'yargs';
import { UserError } from '../user-error.ts';

// Placeholder until the command is built; it refuses to pretend it ran.
export const clusterCommand: CommandModule = {
  command: 'cluster',
  describe: '(not yet built)',
  handler: () => {
    throw new UserError('`tenrec cluster` is not built yet');
  },
};
