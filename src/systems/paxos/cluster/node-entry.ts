// How a node process is launched. The node entry (src/systems/paxos/node/main.ts and what it imports)
// is bundled with esbuild into one plain ESM file in the cluster dir, so `node bundle.mjs`
// starts without the tsx loader: on this 2-core machine under load that is about a second
// instead of five, and the nemesis restarts nodes often. If bundling fails, fall back to tsx.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_MAIN = fileURLToPath(new URL('../node/main.ts', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const BUNDLE = 'node-bundle.mjs';

let built: Promise<{ code: Uint8Array; map: Uint8Array } | null> | null = null;

async function bundle(): Promise<{ code: Uint8Array; map: Uint8Array } | null> {
  try {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [NODE_MAIN],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      outfile: BUNDLE,
      sourcemap: 'external',
      logLevel: 'silent',
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
    return code && map ? { code: code.contents, map: map.contents } : null;
  } catch {
    return null;
  }
}

/**
 * The argv (after the node binary) that runs `tenrec node` for a cluster in `dir`. Built once
 * per process; the bundle is written into the cluster dir so restarts from another process
 * (`tenrec cluster restart`) reuse it.
 */
export async function nodeEntryArgs(dir: string): Promise<string[]> {
  built ??= bundle();
  const out = await built;
  const path = join(dir, BUNDLE);
  if (out) {
    writeFileSync(path, out.code);
    writeFileSync(`${path}.map`, out.map);
  }
  return entryArgsFor(dir, out !== null);
}

/** The launch argv for a cluster whose bundle was (or was not) written earlier. */
export function entryArgsFor(dir: string, bundled = existsSync(join(dir, BUNDLE))): string[] {
  return bundled ? ['--enable-source-maps', join(dir, BUNDLE)] : ['--import', 'tsx', NODE_MAIN];
}
