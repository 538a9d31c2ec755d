import type { CommandModule } from 'yargs';
import { UserError } from '../user-error.ts';

// Placeholder until the command is built; it refuses to pretend it ran.
export const serveCommand: CommandModule = {
  command: 'serve',
  describe: '(not yet built)',
  handler: () => {
    throw new UserError('`tenrec serve` is not built yet');
  },
};
