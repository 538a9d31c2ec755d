// The `tenrec` command line. Each command lives in its own module under ./commands/.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT_ERROR } from './exit-codes.ts';
import { UserError } from './user-error.ts';
import { commands } from './commands/index.ts';

async function main(): Promise<void> {
  let parser = yargs(hideBin(process.argv))
    .scriptName('tenrec')
    .usage('$0 <command> [options]\n\nJepsen-style linearizability testing: a Paxos register cluster, workloads, a nemesis and a checker.')
    .strict()
    .demandCommand(1, 'Name a command; `tenrec --help` lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 valid, 1 invalid, 2 unknown (a limit was hit), 3 error.')
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`tenrec: ${msg}\nRun with --help for usage.\n`);
      process.exit(EXIT_ERROR);
    });
  for (const c of commands) parser = parser.command(c);
  await parser.parseAsync();
}

main().catch((err: unknown) => {
  if (err instanceof UserError) {
    process.stderr.write(`tenrec: ${err.message}\n`);
  } else {
    // An internal bug: show the stack so it can be reported, but still exit with the error code.
    process.stderr.write(`tenrec: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(EXIT_ERROR);
});
