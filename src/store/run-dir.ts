// A run directory, complete on its own: results/<test-name>/<timestamp>/ with
// history.jsonl, results.json (top-level "valid" + details), test.json (every setting, the seed
// and the exact rerun command), logs/<node>-<file> (copied from the nodes) and report.html.
import fs from 'node:fs';
import path from 'node:path';

/** `2026-11-28T04-30-00.123Z`: an ISO instant that is a valid, sortable directory name. */
export function timestampName(d: Date): string {
  return d.toISOString().replace(/:/g, '-');
}

/** Creates results/<name>/<timestamp>/ (adding -2, -3 … if two runs start in the same ms). */
export function createRunDir(resultsDir: string, name: string, startedAt: Date): string {
  const base = path.join(path.resolve(resultsDir), name, timestampName(startedAt));
  let dir = base;
  for (let i = 2; fs.existsSync(dir); i++) dir = `${base}-${i}`;
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeJson(dir: string, file: string, value: unknown): void {
  fs.writeFileSync(path.join(dir, file), JSON.stringify(value, null, 2) + '\n');
}

export function writeText(dir: string, file: string, text: string): void {
  fs.writeFileSync(path.join(dir, file), text);
}

/** Copies each node's log into <dir>/logs/; a missing log is skipped, not an error. */
export function copyLogs(dir: string, logs: readonly { id: string; path: string }[]): string[] {
  const out = path.join(dir, 'logs');
  fs.mkdirSync(out, { recursive: true });
  const copied: string[] = [];
  for (const l of logs) {
    try {
      fs.copyFileSync(l.path, path.join(out, l.id));
      copied.push(`logs/${l.id}`);
    } catch {
      /* the node never wrote one */
    }
  }
  return copied;
}
