import type { CommandModule } from 'yargs';
import { UserError } from '../user-error.ts';

// Placeholder until the command is built; it refuses to pretend it ran.
export const showCommand: CommandModule = {
  command: 'show',
  describe: '(not yet built)',
  handler: () => {
    throw new UserError('`tenrec show` is not built yet');
  },
};
