// Watchdog for one `tenrec test` run (plain JS: it must start fast and need no tsx).
// Started detached by the runner; if the runner dies without cleaning up (SIGKILL, a crash), it
// kills the run's nodes and removes the run's files. It exits by itself as soon as the runner
// removes its registry file (a normal end). Everything it acts on comes from its argv, given by
// the runner; it signals only processes started with the run's token, and removes the cluster
// directory only if its marker holds that token (the same rules as src/process/ownership.ts).
// argv: runnerPid runnerStartTime registryFile clusterDir token
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const [runnerPid, runnerStart, registryFile, clusterDir, token] = [Number(process.argv[2]), process.argv[3], process.argv[4], process.argv[5], process.argv[6]];
if (!/^[0-9a-f]{32}$/.test(token ?? '')) process.exit(2);

function stat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function runnerAlive() {
  const f = stat(runnerPid);
  if (!f || f[0] === 'Z' || f[0] === 'X') return false;
  return !runnerStart || f[19] === runnerStart;
}

function killNodes() {
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    let env;
    try {
      env = fs.readFileSync(`/proc/${p}/environ`, 'latin1').split('\0');
    } catch {
      continue;
    }
    if (!env.includes(`TENREC_CLUSTER_TOKEN=${token}`)) continue;
    for (const sig of ['SIGCONT', 'SIGKILL']) {
      try { process.kill(Number(p), sig); } catch { /* gone */ }
    }
  }
}

function ownDir() {
  try {
    return fs.lstatSync(clusterDir).isDirectory() && fs.readFileSync(path.join(clusterDir, '.tenrec-owner'), 'utf8') === token;
  } catch {
    return false;
  }
}

/** A --net netns run also leaves network namespaces and a bridge (src/net/netns.ts writes netns.json). */
function removeNamespaces() {
  let layout;
  try {
    layout = JSON.parse(fs.readFileSync(path.join(clusterDir, 'netns.json'), 'utf8'));
  } catch {
    return;
  }
  const bridge = typeof layout?.bridge === 'string' && /^tnr[a-z0-9]{5}br$/.test(layout.bridge) ? layout.bridge : undefined;
  if (!bridge) return;
  for (const n of layout.nodes ?? []) {
    if (typeof n?.ns === 'string' && n.ns.startsWith(`tenrec-${bridge.slice(3, 8)}-`) && /^tenrec-[a-z0-9]{5}-n\d{1,4}$/.test(n.ns)) spawnSync('ip', ['netns', 'del', n.ns]);
  }
  spawnSync('ip', ['link', 'del', bridge]);
}

/**
 * libfaketime leaves a semaphore and a shared-memory segment named for each killed node's pid.
 * A cluster run under it has faketime-pids (src/systems/paxos/db.ts: every pid it started, once
 * the cluster is up) beside cluster.json (the pids of nodes starting now). Only those two names,
 * and only for pids that are gone.
 */
function removeFaketimeLeftovers() {
  let pids;
  try {
    pids = fs.readFileSync(path.join(clusterDir, 'faketime-pids'), 'utf8').split('\n').filter((l) => /^\d{1,9}$/.test(l)).map(Number);
  } catch {
    return;
  }
  try {
    const nodes = JSON.parse(fs.readFileSync(path.join(clusterDir, 'cluster.json'), 'utf8')).nodes;
    for (const n of Array.isArray(nodes) ? nodes : []) if (Number.isInteger(n?.pid) && n.pid > 1) pids.push(n.pid);
  } catch {
    /* not written yet: nothing started */
  }
  // The nodes were SIGKILLed a moment ago: give them time to be gone (zombies count as gone).
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  for (const pid of pids) {
    const f = stat(pid);
    if (f && f[0] !== 'Z' && f[0] !== 'X') continue;
    for (const f of [`/dev/shm/faketime_shm_${pid}`, `/dev/shm/sem.faketime_sem_${pid}`]) {
      try { fs.rmSync(f, { force: true }); } catch { /* best effort */ }
    }
  }
}

const timer = setInterval(() => {
  if (!fs.existsSync(registryFile)) process.exit(0);
  if (runnerAlive()) return;
  clearInterval(timer);
  killNodes();
  if (ownDir()) {
    removeNamespaces();
    removeFaketimeLeftovers();
    try { fs.rmSync(clusterDir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  try { fs.rmSync(registryFile, { force: true }); } catch { /* best effort */ }
  process.exit(0);
}, 250);
