import type { CommandModule } from 'yargs';
import { UserError } from '../user-error.ts';

// Placeholder until the command is built; it refuses to pretend it ran.
export const simCommand: CommandModule = {
  command: 'sim',
  describe: '(not yet built)',
  handler: () => {
    throw new UserError('`tenrec sim` is not built yet');
  },
};
