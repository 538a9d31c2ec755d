import type { CommandModule } from 'yargs';
import { settingsFromFlags, withTestFlags, type TestFlagArgs } from '../../campaign/test-flags.ts';
import { gate, parseUnknownPolicy, unknownOption } from '../../ci/unknown-policy.ts';
import { junitOption, writeJUnit } from '../../ci/junit.ts';
import { EXIT_ERROR, EXIT_INVALID } from '../../errors/exit-codes.ts';
import { shardFrom } from '../../campaign/shard.ts';

interface CampaignArgs extends TestFlagArgs {
  runs: number;
  'until-invalid': boolean;
  vary?: string;
  junit?: string;
  unknown: string;
  json: boolean;
  shard?: string;
  'campaign-id'?: string;
}

export const campaignCommand: CommandModule<object, CampaignArgs> = {
  command: 'campaign',
  describe: 'Many `test` runs with derived seeds (optionally rotating nemesis/workload/nodes); a live table, a summary, rerun commands; exit 1 if any run is invalid',
  builder: (y) =>
    withTestFlags(
      y
        .option('runs', { type: 'number', demandOption: true, describe: 'how many runs' })
        .option('until-invalid', { type: 'boolean', default: false, describe: 'stop at the first invalid run' })
        .option('vary', { type: 'string', describe: 'rotate these settings across runs: nemesis,workload,nodes' })
        .option('junit', junitOption)
        .option('unknown', unknownOption)
        .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON (no live table)' })
        .option('shard', { type: 'string', describe: 'run shard I/N only (runs I, I+N, …; needs --seed); also from TENREC_SHARD, or JOB_COMPLETION_INDEX with TENREC_SHARD_COUNT. Merge shards with tenrec merge' })
        .option('campaign-id', { type: 'string', describe: 'the campaign id to record (default: from the clock; sharded: c-seed<S>-runs<R>)' }),
    ) as never,
  handler: async (argv) => {
    // Loaded on use: every CLI process (cluster nodes included) loads this module.
    const [{ runTest }, { runCampaign }, { summaryText, tableHeader, tableRow }, { parseVary }, { runCase }] = await Promise.all([
      import('../../runner/run-test.ts'),
      import('../../campaign/run-campaign.ts'),
      import('../../campaign/report-text.ts'),
      import('../../campaign/vary.ts'),
      import('../../ci/cases.ts'),
    ]);
    const policy = parseUnknownPolicy(argv.unknown);
    const shard = shardFrom(argv.shard);
    const opts = {
      runs: argv.runs, base: settingsFromFlags(argv), vary: parseVary(argv.vary), untilInvalid: argv['until-invalid'],
      ...(shard ? { shard } : {}), ...(argv['campaign-id'] !== undefined ? { campaignId: argv['campaign-id'] } : {}),
    };
    if (shard && !argv.json) process.stderr.write(`tenrec campaign: shard ${shard.index}/${shard.count}: runs ${shard.index}, ${shard.index + shard.count}, … of ${argv.runs}\n`);
    const out = (s: string) => { if (!argv.json) process.stdout.write(s); };
    out(`${tableHeader()}\n`);
    // On a terminal, the run in progress shows its own live line (elapsed, phase, ops, fault) under
    // the table; the line is cleared before each finished run's row is printed.
    const live = !argv.json && Boolean(process.stderr.isTTY);
    const summary = await runCampaign(
      opts,
      (s, n, planned) => runTest(live ? { ...s, progress: true } : s, live ? { progressLabel: `run ${n}/${planned}` } : {}),
      (run, so) => out(`${tableRow(run, so.planned)}\n`),
    );
    if (argv.junit) {
      writeJUnit(argv.junit, `tenrec campaign ${summary.campaignId}`, summary.runs.map((r) => runCase({ ...r, label: `run ${r.n} (seed ${r.settings.seed})` }, `tenrec.campaign.${summary.campaignId}`)), policy);
    }
    const g = gate(summary.runs.map((r) => (r.valid === 'error' ? true : r.valid)), policy);
    // Invalid wins; otherwise a run that could not run at all makes the campaign an error.
    const code = g.code === EXIT_INVALID ? EXIT_INVALID : summary.errors > 0 ? EXIT_ERROR : g.code;
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ ...summary, runs: summary.runs.map(({ result: _r, ...r }) => r), exitCode: code, ...(g.note ? { note: g.note } : {}) }, null, 2)}\n`);
    } else {
      out(summaryText(summary));
      if (g.note) process.stderr.write(`tenrec: ${g.note}\n`);
      if (argv.junit) out(`JUnit report: ${argv.junit}\n`);
    }
    process.exitCode = code;
  },
};
