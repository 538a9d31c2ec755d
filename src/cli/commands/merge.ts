// `tenrec merge A B … --into C`: the shards of a campaign (or any results directories) into one.
import type { CommandModule } from 'yargs';
import { junitOption, writeJUnit } from '../../ci/junit.ts';
import { gate, parseUnknownPolicy, unknownOption } from '../../ci/unknown-policy.ts';
import { EXIT_INVALID } from '../../errors/exit-codes.ts';
import { UserError } from '../../errors/user-error.ts';

interface MergeArgs {
  dirs: string[];
  into: string;
  junit?: string;
  unknown: string;
  json: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe: 'Merge results directories (the shards of a campaign) into one: run directories copied, one index, one summary; exit 1 if any run is invalid',
  builder: (y) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'results directories to merge (each holds a tenrec.db)' })
      .option('into', { type: 'string', demandOption: true, describe: 'the merged results directory (created if needed; runs already there are kept)' })
      .option('junit', junitOption)
      .option('unknown', unknownOption)
      .option('json', { type: 'boolean', default: false, describe: 'print the outcome as JSON' })
      .example('$0 merge shard-1 shard-2 shard-3 --into merged --junit merged/junit.xml', 'one campaign from three machines') as never,
  handler: async (argv) => {
    const [{ mergeResults }, { runCase }] = await Promise.all([import('../../store/merge.ts'), import('../../ci/cases.ts')]);
    if (argv.dirs.length === 0) throw new UserError('name at least one results directory to merge');
    const policy = parseUnknownPolicy(argv.unknown);
    const o = await mergeResults(argv.dirs, argv.into);
    const verdicts = o.merged.map((r) => (r.valid === 'true' ? true : r.valid === 'false' ? false : ('unknown' as const)));
    const count = (v: boolean | 'unknown') => verdicts.filter((x) => x === v).length;
    const campaigns = [...new Set(o.merged.map((r) => r.campaign_id ?? '-'))];
    if (argv.junit) {
      writeJUnit(argv.junit, `tenrec merge ${campaigns.join(',')}`, o.merged.map((r) => runCase({ dir: r.dir, valid: verdicts[o.merged.indexOf(r)]!, durationMs: r.duration_ms }, `tenrec.campaign.${r.campaign_id ?? 'none'}`)), policy);
    }
    const g = gate(verdicts, policy);
    if (argv.json) process.stdout.write(`${JSON.stringify({ into: argv.into, merged: o.merged.length, duplicates: o.duplicates, refused: o.refused, valid: count(true), invalid: count(false), unknown: count('unknown'), campaigns, exitCode: g.code })}\n`);
    else {
      process.stdout.write(
        `merged ${o.merged.length} run${o.merged.length === 1 ? '' : 's'} from ${argv.dirs.length} director${argv.dirs.length === 1 ? 'y' : 'ies'} into ${argv.into}` +
          ` (campaign${campaigns.length === 1 ? '' : 's'} ${campaigns.join(', ')}); already there: ${o.duplicates}\n` +
          `  valid ${count(true)} · invalid ${count(false)} · unknown ${count('unknown')}\n` +
          `list them: npx tenrec runs --results ${argv.into}\n`,
      );
      for (const r of o.refused) process.stderr.write(`tenrec merge: ${r.source}: skipped ${r.row}: ${r.why}\n`);
    }
    process.exitCode = g.code === EXIT_INVALID ? EXIT_INVALID : g.code;
  },
};
