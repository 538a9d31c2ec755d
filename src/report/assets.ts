// The report's inline styles and scripts, read once from ./assets/ (plain browser files, kept
// separate so they read as code rather than as strings).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const SCRIPTS = ['common.js', 'timeline.js', 'plots.js', 'anomaly.js'];
let cached: { css: string; script: string; scriptHash: string } | undefined;

export function reportAssets(): { css: string; script: string; scriptHash: string } {
  if (!cached) {
    const read = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
    const script = SCRIPTS.map(read).join('\n');
    // The page's Content-Security-Policy allows this exact script and nothing else, so even a
    // value that slipped past escaping could not run.
    const scriptHash = `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`;
    cached = { css: read('report.css'), script, scriptHash };
  }
  return cached;
}
