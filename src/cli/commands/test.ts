import type { CommandModule } from 'yargs';
import { UserError } from '../user-error.ts';

// Placeholder until the command is built; it refuses to pretend it ran.
export const testCommand: CommandModule = {
  command: 'test',
  describe: '(not yet built)',
  handler: () => {
    throw new UserError('`tenrec test` is not built yet');
  },
};
