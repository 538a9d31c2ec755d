// Entry point of a node process started by the cluster code: just `tenrec node`, without
// loading every other command of the CLI, so a node starts fast and depends on nothing but
// the Paxos code. Same flags, messages and exit codes as `tenrec node`.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { nodeCommand } from '../../cli/commands/node.ts';
import { EXIT_ERROR } from '../../cli/exit-codes.ts';
import { UserError } from '../../cli/user-error.ts';

const argv = hideBin(process.argv);
yargs(argv[0] === 'node' ? argv : ['node', ...argv])
  .scriptName('tenrec')
  .strict()
  .command(nodeCommand)
  .demandCommand(1)
  .fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`tenrec node: ${msg}\n`);
    process.exit(EXIT_ERROR);
  })
  .parseAsync()
  .catch((err: unknown) => {
    if (err instanceof UserError) process.stderr.write(`tenrec node: ${err.message}\n`);
    else process.stderr.write(`tenrec node: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT_ERROR);
  });
