// Watchdog for one `tenrec test` run (plain JS: it must start fast and need no tsx).
// Started detached by the runner; if the runner dies without cleaning up (SIGKILL, a crash), it
// kills the run's node process groups and removes the run's runtime files. It exits by itself
// as soon as the runner removes its registry file (a normal end).
// argv: runnerPid registryFile clusterDir
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const [runnerPid, registryFile, clusterDir] = [Number(process.argv[2]), process.argv[3], process.argv[4]];

function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function killNodes() {
  let nodes = [];
  try {
    nodes = JSON.parse(fs.readFileSync(path.join(clusterDir, 'cluster.json'), 'utf8')).nodes ?? [];
  } catch {
    /* no cluster was started */
  }
  for (const n of nodes) {
    try {
      // Only if the pid is still our node (its command line names its data dir), never a reused pid.
      if (!fs.readFileSync(`/proc/${n.pid}/cmdline`, 'utf8').split('\0').includes(n.dir)) continue;
    } catch {
      continue;
    }
    for (const sig of ['SIGCONT', 'SIGKILL']) {
      try {
        process.kill(-n.pid, sig);
      } catch {
        try { process.kill(n.pid, sig); } catch { /* gone */ }
      }
    }
  }
}

/** A --net netns run also leaves network namespaces and a bridge (nemesis/netns.ts writes netns.json). */
function removeNamespaces() {
  let layout;
  try {
    layout = JSON.parse(fs.readFileSync(path.join(clusterDir, 'netns.json'), 'utf8'));
  } catch {
    return;
  }
  for (const n of layout.nodes ?? []) spawnSync('ip', ['netns', 'del', n.ns]);
  if (layout.bridge) spawnSync('ip', ['link', 'del', layout.bridge]);
}

const timer = setInterval(() => {
  if (!fs.existsSync(registryFile)) process.exit(0);
  if (alive(runnerPid)) return;
  clearInterval(timer);
  killNodes();
  removeNamespaces();
  try { fs.rmSync(clusterDir, { recursive: true, force: true }); } catch { /* best effort */ }
  try { fs.rmSync(registryFile, { force: true }); } catch { /* best effort */ }
  process.exit(0);
}, 250);
