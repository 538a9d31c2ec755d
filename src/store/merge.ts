// Merging results directories (the shards of one campaign, run on many machines) into one:
// every run directory is copied under the target and its row goes into the target's index, so
// the merged directory is self-contained (a CI artifact, a report to serve). A run already in
// the target (same campaign, seed, start time and name) is skipped, so merging twice, or
// merging overlapping shards, never duplicates a run. Rows and directories come from outside:
// a row whose directory lies outside its own results directory is refused, never followed.
import fs from 'node:fs';
import path from 'node:path';
import { INDEX_FILE, listRuns, openIndex, type RunRow } from './index-db.ts';
import { UserError } from '../errors/user-error.ts';

export interface MergeOutcome {
  merged: RunRow[];
  /** Already in the target: skipped. */
  duplicates: number;
  /** Rows that could not be taken, each with the reason. */
  refused: { source: string; row: string; why: string }[];
}

const identity = (r: RunRow) => JSON.stringify([r.campaign_id, r.seed, r.started_at, r.name]);

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export async function mergeResults(sources: readonly string[], into: string): Promise<MergeOutcome> {
  const target = path.resolve(into);
  for (const s of sources) {
    if (!fs.existsSync(path.join(s, INDEX_FILE))) throw new UserError(`${s}: no ${INDEX_FILE} here (not a tenrec results directory)`);
    if (path.resolve(s) === target) throw new UserError(`${s} is the target itself: merge other directories --into it`);
  }
  const seen = new Set((fs.existsSync(path.join(target, INDEX_FILE)) ? await listRuns(target) : []).map(identity));
  const out: MergeOutcome = { merged: [], duplicates: 0, refused: [] };
  const index = await openIndex(target);
  try {
    for (const source of sources) {
      const root = fs.realpathSync(source);
      const rows = await listRuns(source);
      // Oldest first, so ids in the target follow the order the runs happened in.
      for (const row of rows.reverse()) {
        if (seen.has(identity(row))) {
          out.duplicates++;
          continue;
        }
        let real: string;
        try {
          real = fs.realpathSync(row.dir);
        } catch {
          out.refused.push({ source, row: row.dir, why: 'its run directory is missing' });
          continue;
        }
        if (!inside(root, real)) {
          out.refused.push({ source, row: row.dir, why: `its run directory is outside ${source}` });
          continue;
        }
        // Same place relative to the results directory; a clash (two machines, same name and
        // millisecond) gets a suffix rather than overwriting anything.
        let dest = path.join(target, path.relative(root, real));
        for (let k = 2; fs.existsSync(dest); k++) dest = `${path.join(target, path.relative(root, real))}-${k}`;
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.cpSync(real, dest, { recursive: true, dereference: false, errorOnExist: true, force: false });
        const copy: RunRow = { ...row, dir: dest };
        delete copy.id;
        copy.id = await index.insertRun(copy);
        seen.add(identity(row));
        out.merged.push(copy);
      }
    }
  } finally {
    await index.close();
  }
  return out;
}
