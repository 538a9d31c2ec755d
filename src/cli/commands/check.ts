// `tenrec check FILE...` (docs/cli.md): decides whether each history is linearizable.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { HISTORY_FORMATS } from '../../../checker/history/parse.ts';
import type { HistoryFormat } from '../../../checker/history/parse.ts';
import { getModel, modelNames, models } from '../../../checker/models/index.ts';
import { renderReport } from '../../report/render.ts';
import { EXIT_ERROR } from '../../errors/exit-codes.ts';
import { UserError } from '../../errors/user-error.ts';
import { checkFile, isFailed } from '../check/check-file.ts';
import type { CheckedFile, CheckFileOptions, FileOutcome } from '../check/check-file.ts';
import { jsonLine } from '../check/json-report.ts';
import { progressFor } from '../check/progress.ts';
import { tally, textReport } from '../check/text-report.ts';
import { junitOption } from '../../ci/junit.ts';
import { unknownOption } from '../../ci/unknown-policy.ts';
import { gateExit, writeCheckJUnit } from '../../ci/gate-flags.ts';

interface CheckArgs {
  files?: string[];
  model?: string;
  format: 'auto' | HistoryFormat;
  initial?: string;
  timeout?: number;
  memory?: number;
  workers?: number;
  json: boolean;
  html?: string;
  partition: boolean;
  'allow-empty': boolean;
  junit?: string;
  unknown: string;
}

function builder(y: Argv): Argv<CheckArgs> {
  return y
    .positional('files', { type: 'string', array: true, describe: 'history files (jsonl, Jepsen EDN or log, Porcupine kv)' })
    .option('model', { type: 'string', describe: `one of: ${modelNames().join(', ')} (default: inferred from the ops; each is listed below)` })
    .option('format', { choices: ['auto', ...HISTORY_FORMATS] as const, default: 'auto' as const, describe: 'history format' })
    .option('initial', { type: 'string', describe: 'initial value of every key, as JSON (0, null, "x"); Jepsen histories default to null' })
    .option('timeout', { type: 'number', describe: 'seconds per file before giving up with "unknown"' })
    .option('memory', { type: 'number', describe: 'cap in MB on the search cache; reaching it gives "unknown"' })
    .option('workers', { type: 'number', describe: 'worker threads checking partitions in parallel (default: cores)' })
    .option('partition', { type: 'boolean', default: true, describe: 'check each key alone (--no-partition: the whole history as one state, slower)' })
    .option('allow-empty', { type: 'boolean', default: false, describe: 'accept a history with no client operation as linearizable (default: an error, exit 3)' })
    .option('json', { type: 'boolean', default: false, describe: 'one JSON object per file per line on stdout' })
    .option('html', { type: 'string', describe: 'write an HTML report (a directory of reports when checking several files)' })
    .option('junit', junitOption)
    .option('unknown', unknownOption)
    .epilogue(`Models:\n${modelNames().map((n) => `  ${n.padEnd(16)} ${models[n]!.summary}`).join('\n')}`)
    .example('$0 check history.jsonl', 'check one history, model inferred')
    .example('$0 check --json --initial null etcd_*.log', 'many Jepsen logs, JSON lines') as unknown as Argv<CheckArgs>;
}

function positive(value: number | undefined, flag: string, integer = false): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UserError(`--${flag} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

function optionsFrom(args: CheckArgs): CheckFileOptions {
  if (args.model !== undefined) {
    try {
      getModel(args.model);
    } catch (err) {
      throw new UserError((err as Error).message);
    }
  }
  const timeout = positive(args.timeout, 'timeout');
  const opts: CheckFileOptions = { format: args.format, partition: args.partition, allowEmpty: args['allow-empty'], partials: args.html !== undefined };
  if (args.model !== undefined) opts.model = args.model;
  if (args.initial !== undefined) opts.initial = args.initial;
  if (timeout !== undefined) opts.timeoutMs = timeout * 1000;
  const memory = positive(args.memory, 'memory');
  if (memory !== undefined) opts.memoryMb = memory;
  const workers = positive(args.workers, 'workers', true);
  if (workers !== undefined) opts.workers = workers;
  return opts;
}

/** One report at OUT for one file; for several, OUT is a directory of `<name>.html`. */
function writeHtml(out: string, checked: CheckedFile[], several: boolean): void {
  if (several) mkdirSync(out, { recursive: true });
  const taken = new Set<string>();
  for (const c of checked) {
    let path = out;
    if (several) {
      let name = `${basename(c.file)}.html`;
      for (let i = 2; taken.has(name); i++) name = `${basename(c.file)}-${i}.html`;
      taken.add(name);
      path = join(out, name);
    }
    try {
      writeFileSync(path, renderReport({ history: c.events, result: c.result, operations: c.ops, title: c.file }));
    } catch (err) {
      throw new UserError(`cannot write the HTML report ${path}: ${(err as Error).message}`);
    }
  }
}

async function handler(args: CheckArgs): Promise<void> {
  const files = (args.files ?? []).map(String);
  if (files.length === 0) throw new UserError('give at least one history file: tenrec check FILE... (tenrec check --help for the options)');
  const opts = optionsFrom(args);
  const progress = progressFor(files.length);
  const outcomes: FileOutcome[] = [];
  for (const [i, file] of files.entries()) {
    progress.update(i, file);
    const outcome = await checkFile(file, opts);
    progress.clear();
    outcomes.push(outcome);
    // An error is said once to a reader: in the text report, or (with --json, whose stdout is for
    // programs) on stderr beside the JSON line.
    if (isFailed(outcome) && args.json) process.stderr.write(`tenrec: ${outcome.error}\n`);
    process.stdout.write(args.json ? `${jsonLine(outcome)}\n` : textReport(outcome));
  }
  if (!args.json && files.length > 1) process.stdout.write(tally(outcomes));
  const checked = outcomes.filter((o): o is CheckedFile => !isFailed(o));
  if (args.html !== undefined && checked.length > 0) writeHtml(args.html, checked, files.length > 1);
  if (args.junit !== undefined) writeCheckJUnit(args.junit, outcomes, args.unknown);
  // Bad input anywhere makes the run an error, whatever the other files said: its verdict is incomplete.
  process.exitCode = checked.length < outcomes.length ? EXIT_ERROR : gateExit(checked.map((c) => c.result.valid), args.unknown);
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check [files..]',
  describe: 'Check history files for linearizability (exit 0 valid, 1 invalid, 2 unknown, 3 error)',
  builder,
  handler,
};
