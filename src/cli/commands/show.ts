import type { CommandModule } from 'yargs';

interface ShowArgs {
  target: string;
  json: boolean;
  results: string;
  model?: string;
  timeout: number;
}

// An inspection command: it exits 0 whatever the verdict (`check` and `test` are the gates).
export const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <target>',
  describe: 'Summarize a run (its directory, or its id in results/tenrec.db) or a history file: verdict, op counts, latencies, faults, the anomaly in words',
  builder: (y) =>
    y
      .positional('target', { type: 'string', demandOption: true, describe: 'run directory, run id, or history file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as one JSON object' })
      .option('results', { alias: 'results-dir', type: 'string', default: 'results', describe: 'results directory holding tenrec.db' })
      .option('model', { type: 'string', describe: 'model for checking a history file (default: inferred)' })
      .option('timeout', { type: 'number', default: 60, describe: 'seconds to spend checking a history file' }),
  handler: async (argv) => {
    // Loaded on use: every CLI process (cluster nodes included) loads this module.
    const [{ loadHistoryFile, loadRunDir }, { resolveShowTarget }, { summarizeRun, summaryText }] = await Promise.all([
      import('../../report/load-run.ts'),
      import('../../report/resolve-target.ts'),
      import('../../report/run-summary.ts'),
    ]);
    const target = await resolveShowTarget(argv.target, argv.results);
    const run = target.kind === 'run'
      ? await loadRunDir(target.dir)
      : await loadHistoryFile(target.file, { ...(argv.model ? { model: argv.model } : {}), timeoutMs: argv.timeout * 1000 });
    const summary = summarizeRun(run);
    process.stdout.write(argv.json ? `${JSON.stringify(summary, null, 2)}\n` : summaryText(summary, process.stdout.isTTY === true));
  },
};
