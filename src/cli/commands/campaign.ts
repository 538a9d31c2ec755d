import type { CommandModule } from 'yargs';
import { UserError } from '../user-error.ts';

// Placeholder until the command is built; it refuses to pretend it ran.
export const campaignCommand: CommandModule = {
  command: 'campaign',
  describe: '(not yet built)',
  handler: () => {
    throw new UserError('`tenrec campaign` is not built yet');
  },
};
