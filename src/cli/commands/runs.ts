import type { CommandModule } from 'yargs';
import { UserError } from '../user-error.ts';

// Placeholder until the command is built; it refuses to pretend it ran.
export const runsCommand: CommandModule = {
  command: 'runs',
  describe: '(not yet built)',
  handler: () => {
    throw new UserError('`tenrec runs` is not built yet');
  },
};
