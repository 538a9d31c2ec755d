import type { CommandModule } from 'yargs';
import { UserError } from '../../errors/user-error.ts';

interface ServeArgs {
  port: number;
  host: string;
  results: string;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'A small web UI over results/: the runs with their verdicts, each run\'s report and files',
  builder: (y) =>
    y
      .option('port', { type: 'number', default: 8080, describe: 'TCP port (0 picks a free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on (keep it local: there is no authentication)' })
      .option('results', { alias: 'results-dir', type: 'string', default: 'results', describe: 'results directory to serve' }),
  handler: async (argv) => {
    if (!(Number.isInteger(argv.port) && argv.port >= 0 && argv.port <= 65535)) throw new UserError(`--port must be an integer 0-65535, got ${argv.port}`);
    // Loaded on use (SQLite): every CLI process, cluster nodes included, loads this module.
    const { startServer } = await import('../../serve/server.ts');
    const server = await startServer({ port: argv.port, host: argv.host, results: argv.results });
    process.stdout.write(`tenrec serve: ${server.url} (results from ${argv.results}; Ctrl-C stops)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => { void server.close().then(resolve); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
