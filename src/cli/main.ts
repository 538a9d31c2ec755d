// The `tenrec` command line. Each command lives in its own module under ./commands/.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT_ERROR } from '../errors/exit-codes.ts';
import { UserError } from '../errors/user-error.ts';
import { commands } from './commands/index.ts';
import { firstNonNumber } from './raw-flags.ts';
import { stopWhenParentDies } from './parent-watch.ts';

/** Command names as a user types them (`check <files..>` is `check`). */
const COMMAND_NAMES = commands.map((c) => String(c.command).split(' ')[0]!);

async function main(): Promise<void> {
  const args = hideBin(process.argv);
  const first = args.find((a) => !a.startsWith('-'));
  const wantsHelpOrVersion = args.some((a) => ['--help', '-h', '--version'].includes(a));
  if (first !== undefined && !COMMAND_NAMES.includes(first) && !wantsHelpOrVersion) {
    throw new UserError(`unknown command ${JSON.stringify(first)}; the commands are ${COMMAND_NAMES.join(', ')} (\`tenrec --help\` says what each does)`);
  }
  // Cluster nodes are meant to outlive `tenrec cluster start`; everything else stops with its parent.
  if (first !== 'node') stopWhenParentDies();
  let parser = yargs(args)
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
    .middleware((argv) => {
      const bad = firstNonNumber(argv as Record<string, unknown>, args);
      if (bad) throw new UserError(`--${bad.flag} must be a number, got ${bad.text === '' ? 'nothing' : JSON.stringify(bad.text)}`);
    }, true)
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
