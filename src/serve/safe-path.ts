// Maps a URL path onto a file under the results directory, or refuses. Nothing outside the root
// is ever served: `..` (plain or percent-encoded), absolute paths, NUL bytes, backslashes, and
// symlinks whose target lies outside the root are all refused.
import fs from 'node:fs';
import path from 'node:path';

export type Resolved = { ok: true; file: string; stat: fs.Stats } | { ok: false; status: 400 | 403 | 404 };

/** `rest` is the URL path after the route prefix, still percent-encoded. */
export function resolveUnderRoot(root: string, rest: string): Resolved {
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400 };
    }
    if (seg === '.' || seg === '..' || seg.includes('/') || seg.includes('\\') || seg.includes('\0')) return { ok: false, status: 403 };
    segments.push(seg);
  }
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    return { ok: false, status: 404 };
  }
  const candidate = path.join(realRoot, ...segments);
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return { ok: false, status: 404 };
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return { ok: false, status: 403 };
  return { ok: true, file: real, stat: fs.statSync(real) };
}

/** The URL path (encoded, no leading slash) of a file or directory under the root; null if outside. */
export function relativeUrlPath(root: string, target: string): string | null {
  let realRoot: string, real: string;
  try {
    realRoot = fs.realpathSync(root);
    real = fs.realpathSync(target);
  } catch {
    return null;
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
  return path.relative(realRoot, real).split(path.sep).filter(Boolean).map(encodeURIComponent).join('/');
}
