// The README and docs/ link only to files in the repository (never to ../shared, which a clone
// does not have), and every link and #anchor resolves.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pages = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const m = !inCode && /^#{1,6} (.+)$/.exec(line);
    if (m) out.add(m[1]!.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));
  }
  return out;
}

describe('docs', () => {
  it('has the pages the README promises', () => {
    for (const p of ['history-format', 'cli', 'cluster-api', 'checker', 'stress-tests', 'reports', 'campaigns-and-ci', 'paxos-design', 'simulation', 'performance']) {
      expect(fs.existsSync(path.join(ROOT, 'docs', `${p}.md`)), p).toBe(true);
    }
  });

  it('every relative link and anchor resolves, and nothing points at ../shared', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
      expect(text, page).not.toMatch(/\.\.\/shared/);
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const resolved = file === '' ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), file);
        if (!fs.existsSync(resolved)) { broken.push(`${page}: ${target} (no file)`); continue; }
        if (anchor && resolved.endsWith('.md') && !anchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${page}: ${target} (no anchor)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
