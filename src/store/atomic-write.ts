// Files other processes read at any moment (cluster records, runner registrations) are
// replaced whole: written beside the target, then renamed over it, so a reader sees the old
// content or the new, never half of one.
import { renameSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
