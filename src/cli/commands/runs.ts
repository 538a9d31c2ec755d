import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { RunRow } from '../../store/index-db.ts';
import { textTable } from '../../report/text-table.ts';
import { parseSince } from '../parse-since.ts';
import { UserError } from '../../errors/user-error.ts';

interface RunsArgs {
  verdict?: 'valid' | 'invalid' | 'unknown';
  bug?: string;
  since?: string;
  campaign?: string;
  limit: number;
  json: boolean;
  results: string;
}

const VERDICT_WORD: Record<RunRow['valid'], string> = { true: 'valid', false: 'INVALID', unknown: 'unknown' };

function row(r: RunRow): string[] {
  return [
    String(r.id ?? ''),
    r.started_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    VERDICT_WORD[r.valid],
    r.name,
    r.workload,
    r.faults || '?',
    r.bug ?? '-',
    String(r.seed),
    String(r.ops),
    `${(r.duration_ms / 1000).toFixed(1)}s`,
    r.campaign_id ?? '-',
  ];
}

/** The runs in results/tenrec.db, newest first. Lists; does not judge: exits 0. */
export const runsCommand: CommandModule<object, RunsArgs> = {
  command: 'runs',
  describe: 'List the runs in results/tenrec.db, newest first',
  builder: (y) =>
    y
      .option('verdict', { choices: ['valid', 'invalid', 'unknown'] as const, describe: 'only runs with this verdict' })
      .option('bug', { type: 'string', describe: 'only runs of the cluster with this switchable bug' })
      .option('since', { type: 'string', describe: 'only runs started since a date (2026-11-28) or a duration ago (2h, 7d)' })
      .option('campaign', { type: 'string', describe: 'only the runs of this campaign id' })
      .option('limit', { type: 'number', default: 50, describe: 'at most this many runs' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON array of runs (settings parsed)' })
      .option('results', { alias: 'results-dir', type: 'string', default: 'results', describe: 'results directory holding tenrec.db' }),
  handler: async (argv) => {
    // Loaded on use (SQLite): every CLI process, cluster nodes included, loads this module.
    const { INDEX_FILE, listRuns } = await import('../../store/index-db.ts');
    if (!(Number.isInteger(argv.limit) && argv.limit > 0)) throw new UserError(`--limit must be a positive integer, got ${argv.limit}`);
    const since = argv.since !== undefined ? parseSince(argv.since) : undefined;
    if (!fs.existsSync(path.join(argv.results, INDEX_FILE))) {
      if (argv.json) process.stdout.write('[]\n');
      else process.stdout.write(`no runs yet (${path.join(argv.results, INDEX_FILE)} does not exist; \`tenrec test\` creates it)\n`);
      return;
    }
    const runs = await listRuns(argv.results, {
      ...(argv.verdict ? { verdict: argv.verdict } : {}),
      ...(argv.bug ? { bug: argv.bug } : {}),
      ...(since ? { since } : {}),
      ...(argv.campaign ? { campaign: argv.campaign } : {}),
      limit: argv.limit,
    });
    if (argv.json) {
      const out = runs.map(({ settings_json, ...r }) => ({ ...r, valid: r.valid === 'true' ? true : r.valid === 'false' ? false : 'unknown', settings: safeJson(settings_json) }));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    if (runs.length === 0) {
      process.stdout.write('no runs match\n');
      return;
    }
    const header = ['id', 'started (UTC)', 'verdict', 'name', 'workload', 'faults', 'bug', 'seed', 'ops', 'took', 'campaign'];
    process.stdout.write(`${textTable(header, runs.map(row), new Set([0, 7, 8, 9]))}\n`);
  },
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
