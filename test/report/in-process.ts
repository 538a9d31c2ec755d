// Runs one CLI command module in this process (no tsx start-up per call), capturing stdout.
import yargs from 'yargs';
import type { CommandModule } from 'yargs';

export async function runCommand(cmd: CommandModule<any, any>, args: string[]): Promise<string> {
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await yargs().command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync(args);
  } finally {
    process.stdout.write = write;
  }
  return out;
}
