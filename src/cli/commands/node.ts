import type { CommandModule } from 'yargs';
import { UserError } from '../user-error.ts';

// Placeholder until the command is built; it refuses to pretend it ran.
export const nodeCommand: CommandModule = {
  command: 'node',
  describe: '(not yet built)',
  handler: () => {
    throw new UserError('`tenrec node` is not built yet');
  },
};
