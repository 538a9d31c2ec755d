import type { CommandModule } from 'yargs';
import { UserError } from '../user-error.ts';

// Placeholder until the command is built; it refuses to pretend it ran.
export const checkCommand: CommandModule = {
  command: 'check',
  describe: '(not yet built)',
  handler: () => {
    throw new UserError('`tenrec check` is not built yet');
  },
};
