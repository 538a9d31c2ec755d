// `tenrec test` as a function: start a fresh cluster behind the fault proxy, run the workload while
// the nemesis breaks things, heal, quiesce, read every key from every node, stop every process,
// check the history, and store the run. The campaign command calls this directly.
import fs from 'node:fs';
import type { CheckResult, HistoryEvent, Validity } from '../../checker/types.ts';
import type { QuickCheckResult } from '../../checker/quick/quick-check.ts';
import { createRng, deriveSeed } from '../../workloads/rng.ts';
import { WORKLOADS, finalReadPhase, mainPhase } from '../../workloads/index.ts';
import { NemesisRunner, effectiveInterval, planSchedule } from '../../nemesis/schedule.ts';
import { loadSystem, settingsProblem } from '../system/load-system.ts';
import { resolveHosts } from '../remote/hosts-file.ts';
import { hasFailpoints, missingCapabilities } from '../system/capabilities.ts';
import type { ClientFactory } from '../system/client.ts';
import { UserError } from '../errors/user-error.ts';
import { exitCodeFor } from '../errors/exit-codes.ts';
import { copyLogs, createRunDir, writeJson, writeText } from '../store/run-dir.ts';
import { openIndex, type RunRow } from '../store/index-db.ts';
import { HistoryRecorder } from './history-recorder.ts';
import { WorkerPool } from './workers.ts';
import { ProgressLine } from './progress.ts';
import { judgeHistory, uncheckedResult, type Judgement } from './check-history.ts';
import { makeClusterDir, reapLeftovers, RuntimeRegistration } from './runtime-registry.ts';
import { newToken } from '../process/ownership.ts';
import { recoveryAfterFaults, recoveryProblem, recoverySummary, unavailableWindows, windowsSummary, type Recovery, type Window } from './recovery.ts';
import { resolveSettings, rerunCommand, type TestSettings } from './settings.ts';
import { renderReport } from '../report/render.ts';
import { faultSummary } from './fault-counts.ts';

export interface RunCounts {
  /** Client invokes. */
  ops: number;
  ok: number;
  fail: number;
  info: number;
  /** Nemesis fault starts, by kind. */
  faults: Record<string, number>;
  /** Reads that completed ok and were invoked after the first fault ended. */
  okReadsAfterFaults: number;
  /** Final reads (every key from every node) that completed ok. */
  finalReadsOk: number;
  finalReadsPlanned: number;
}

export interface RunOutcome {
  dir: string;
  /** Index row id in results/tenrec.db. */
  id: number;
  valid: Validity;
  exitCode: number;
  settings: TestSettings;
  counts: RunCounts;
  result: CheckResult;
  anomalyText?: string;
  durationMs: number;
  /** Fault actions that failed (e.g. a restart that did not come up), in words. */
  nemesisErrors: string[];
  /** Set when a requested fault kind never happened: why the verdict is unknown, in words. */
  faultsNote?: string;
  /** Jepsen's linear-time checkers run beside linearizability (set-full, counter-bounds). */
  quick: QuickCheckResult[];
  /** After each healed fault, how long until an op succeeded again. */
  recovery: Recovery[];
  /** Set when --max-recovery failed the run: which fault it did not recover from, in words. */
  livenessProblem?: string;
  /** Stretches of the workload with no ok op for UNAVAILABLE_MS or more. */
  unavailable: Window[];
  /** The runner's own cost during the main phase: is the tester the bottleneck? */
  perf: MainPhasePerf;
  /** Every process the run started (nodes, restarts included, and the watchdog): all gone now. */
  pids: number[];
}

export interface MainPhasePerf {
  wallMs: number;
  /** Completions (ok/fail/info) during the main phase. */
  completions: number;
  opsPerSec: number;
  /** CPU time of the runner process (user + system), ms, and its share of one core. */
  cpuMs: number;
  cpuShare: number;
}

export interface RunHooks {
  /** Where the progress line goes (default stderr, when settings.progress). */
  progressStream?: NodeJS.WriteStream;
  /** Put before every progress line (a campaign's "run 3/10"). */
  progressLabel?: string;
  /** Called with the run directory as soon as it exists. */
  onDir?: (dir: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long past the time limit the load waits for a late first-round fault. */
const ROUND_GRACE_S = 30;

export async function runTest(input: Partial<TestSettings>, hooks: RunHooks = {}): Promise<RunOutcome> {
  const s = resolveSettings(input);
  const system = await loadSystem(s.db);
  const unsuited = settingsProblem(system, s);
  if (unsuited) throw new UserError(unsuited);
  const startedAt = new Date();
  const wallStart = Date.now();
  await reapLeftovers(s.resultsDir);

  const token = newToken();
  const clusterDir = makeClusterDir(token);
  const registration = RuntimeRegistration.create(s.resultsDir, clusterDir, token);
  if (s.hosts && !system.hosts) {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    registration.release();
    throw new UserError(`--db ${s.db} cannot run its nodes on remote hosts (--hosts); --db paxos and --db etcd can`);
  }
  const db = system.db({ nodes: s.nodes, dir: clusterDir, bug: s.bug, net: s.net, token, faults: s.nemesis, options: s.dbOptions, ...(s.hosts ? { hosts: resolveHosts(s.hosts) } : {}) });
  // A fault the system cannot take, or a failpoint it does not have, is refused before anything starts.
  const points = hasFailpoints(db) ? db.failpoints() : [];
  const unknownPoints = s.failpoints.filter((p) => !points.includes(p));
  const cannot = missingCapabilities(s.db, db, s.nemesis) ?? (unknownPoints.length ? `--failpoints ${unknownPoints.join(',')}: --db ${s.db} has no such failpoint (it has ${points.join(', ')})` : undefined);
  if (cannot) {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    registration.release();
    throw new UserError(cannot);
  }
  let clients: ClientFactory | undefined;
  let pool: WorkerPool | undefined;
  let aborted = false;
  let nemesis: NemesisRunner | undefined;
  let progress: ProgressLine | undefined;
  let stopping: Promise<void> | undefined;
  /** Stops every process the run started (idempotent); node logs stay until cleanupFiles. */
  const stopProcesses = () =>
    (stopping ??= (async () => {
      progress?.stop();
      await pool?.close();
      await Promise.resolve(clients?.close?.()).catch(() => {});
      await db.teardown();
    })());
  const cleanupFiles = () => {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    registration.release();
  };
  const teardown = async () => {
    try {
      await stopProcesses();
    } finally {
      cleanupFiles();
    }
  };
  // Ctrl-C / SIGTERM: stop the workers, stop every process, then exit with the error code.
  const onSignal = (sig: NodeJS.Signals) => {
    if (aborted) return;
    aborted = true;
    process.stderr.write(`\ntenrec: ${sig}: stopping the cluster…\n`);
    void (nemesis?.healAll().catch(() => {}) ?? Promise.resolve())
      .finally(() => teardown().catch(() => {}))
      .finally(() => process.exit(3));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let history: HistoryRecorder;
  let finalPlanned = 0;
  /** When the workload ended and the final heal began (ns since the test start). */
  let workloadEndNs = Infinity;
  let finalStart = 0;
  let perf: MainPhasePerf = { wallMs: 0, completions: 0, opsPerSec: 0, cpuMs: 0, cpuShare: 0 };
  try {
    try {
      await db.setup();
    } catch (err) {
      throw new UserError(`the cluster failed to start: ${err instanceof Error ? err.message : String(err)}`);
    }
    history = new HistoryRecorder();
    const h = history;
    const workload = WORKLOADS[s.workload];
    const plan = planSchedule(deriveSeed(s.seed, 'schedule'), s.nemesis, s.nemesisInterval, s.timeLimit);
    nemesis = new NemesisRunner(db, plan, createRng(deriveSeed(s.seed, 'nemesis')), (e) => h.nemesis(e.f, e.value), () => h.elapsedMs(), { failpoints: s.failpoints });
    const nem = nemesis;
    let phase = 'main';
    if (s.progress) {
      progress = new ProgressLine(h, () => phase, () => nem.current, hooks.progressStream, hooks.progressLabel);
      progress.start();
    }
    clients = system.clients({ db, bug: s.bug });
    const workers = new WorkerPool({
      concurrency: s.concurrency,
      nodes: () => db.nodes(),
      history: h,
      rng: createRng(deriveSeed(s.seed, 'workload')),
      clients,
      workload: s.workload,
      opTimeoutMs: s.opTimeoutMs,
      runId: `r${s.seed}-${process.pid}-${wallStart}`,
      aborted: () => aborted,
      // Resending is safe only where the system deduplicates by the op's ids.
      resendUnknown: system.dedup ? s.resend : 0,
    });
    pool = workers;

    // The load stays on past the time limit while a fault of the first round is still to come or
    // in force (a slow restart can make the schedule late), up to a cap: a run asked for faults
    // must see every kind of them.
    let roundOpen = plan.length > 0;
    void nem.firstRound.then(() => (roundOpen = false));
    const holdOpenUntilMs = (s.timeLimit + ROUND_GRACE_S) * 1000;
    nem.start();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const done0 = h.counts.ok + h.counts.fail + h.counts.info;
    await workers.run(
      mainPhase({ workload: workload.name, keys: s.keys, rate: s.rate, timeLimitS: s.timeLimit, nodes: s.nodes }, h.now(), () => roundOpen && h.elapsedMs() < holdOpenUntilMs),
    );

    {
      const wallMs = performance.now() - wall0;
      const c = process.cpuUsage(cpu0);
      const completions = h.counts.ok + h.counts.fail + h.counts.info - done0;
      const cpuMs = (c.user + c.system) / 1000;
      perf = { wallMs, completions, opsPerSec: (completions * 1000) / wallMs, cpuMs, cpuShare: cpuMs / wallMs };
    }
    phase = 'heal';
    workloadEndNs = h.now();
    await nem.healAll();
    if (s.nemesis.length > 0) h.nemesis('heal', { nodes: db.nodes().map((n) => n.id) });
    // Not healthy after healing is itself a finding: the final reads will show it as fail/info.
    await db.waitHealthy?.(35_000).catch(() => false);
    phase = 'quiesce';
    await sleep(s.quiesce * 1000);
    phase = 'final reads';
    finalPlanned = s.keys * s.nodes;
    finalStart = h.events.length;
    await workers.run(finalReadPhase(s.keys, s.nodes), { retryUntilOk: 20 });
  } catch (err) {
    await teardown().catch(() => {});
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw err;
  }

  // Stop every process before judging (the check needs no cluster). The cluster directory (with
  // the node logs) and the registration stay until the run directory is written, so a runner
  // killed while checking leaves nothing its watchdog or the next run would not reap.
  try {
    await stopProcesses();
  } catch (err) {
    cleanupFiles();
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  try {
    return await judgeAndStore();
  } finally {
    cleanupFiles();
  }

  async function judgeAndStore(): Promise<RunOutcome> {
    const events = history.events;
    const workloadModel = WORKLOADS[s.workload].model;
    let judgement: Judgement;
    if (s.check) {
      try {
        judgement = await judgeHistory(events, workloadModel, s.checkTimeout * 1000);
      } catch (err) {
        throw new Error(`checking the history failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    } else {
      judgement = { result: uncheckedResult(workloadModel), operations: [] };
    }
    const finishedAt = new Date();
    const durationMs = Date.now() - wallStart;
    const counts = countHistory(events, finalStart, finalPlanned);
    // Jepsen's linear-time checkers that fit the workload: a plainer account beside the search.
    const quick = s.check ? (WORKLOADS[s.workload].quick?.(judgement.operations) ?? []) : [];
    const quickInvalid = quick.filter((q) => !q.valid);
    // Faults asked for that never happened: a clean history then proves nothing about them.
    const faultsMissing = s.nemesis.filter((k) => !counts.faults[k]);
    // Liveness: how long after each healed fault until an op succeeded; --max-recovery gates it.
    const recovery = recoveryAfterFaults(events, workloadEndNs);
    const livenessProblem = recoveryProblem(recovery, s.maxRecovery);
    const unavailable = unavailableWindows(events, workloadEndNs);
    const checked: Validity = quickInvalid.length > 0 || livenessProblem ? false : judgement.result.valid;
    const valid: Validity = checked === true && faultsMissing.length > 0 ? 'unknown' : checked;
    const quickText = quickInvalid.length
      ? quickInvalid.map((q) => `${q.checker}: ${q.summary}\n${q.findings.slice(0, 5).map((f) => `  ${f.message}`).join('\n')}`).join('\n')
      : undefined;
    const anomalyText = [livenessProblem ? `liveness: ${livenessProblem}` : undefined, judgement.anomalyText, quickText].filter(Boolean).join('\n\n') || undefined;
    const faultsNote = faultsMissing.length
      ? `the nemesis was asked for ${s.nemesis.join(', ')} but never started ${faultsMissing.join(', ')}${nemesis?.errors.length ? ` (${nemesis.errors.join('; ')})` : ''}`
      : undefined;

    const dir = createRunDir(s.resultsDir, s.name, startedAt);
    hooks.onDir?.(dir);
    writeText(dir, 'history.jsonl', history.toJsonl());
    const copied = copyLogs(dir, db.logFiles());
    const testJson = { ...s, resultsDir: s.resultsDir, rerun: rerunCommand(s), startedAt: startedAt.toISOString(), tenrec: 'test' };
    writeJson(dir, 'test.json', testJson);
    writeJson(dir, 'results.json', {
      valid,
      ...(s.check ? {} : { checked: false }),
      model: workloadModel,
      counts,
      ...(faultsNote ? { faultsMissing, faultsNote } : {}),
      ...(quick.length ? { quick } : {}),
      recovery,
      unavailable,
      ...(livenessProblem ? { livenessProblem } : {}),
      nemesisIntervalUsed: effectiveInterval(s.nemesis, s.nemesisInterval, s.timeLimit),
      durationMs,
      perf,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      ...(anomalyText ? { anomalyText } : {}),
      nemesisErrors: nemesis?.errors ?? [],
      logs: copied,
      result: judgement.result,
    });
    writeText(
      dir,
      'report.html',
      renderReport({ history: events, result: judgement.result, test: testJson, title: `${s.name} · seed ${s.seed}`, operations: judgement.operations, quick, recovery: `${recoverySummary(recovery)}; unavailable ${windowsSummary(unavailable)}` }),
    );

    const row: RunRow = {
      name: s.name,
      dir,
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      valid: valid === true ? 'true' : valid === false ? 'false' : 'unknown',
      workload: s.workload,
      nemesis: s.nemesis.length ? s.nemesis.join(',') : 'none',
      faults: faultSummary(counts.faults),
      nodes: s.nodes,
      bug: s.bug,
      seed: s.seed,
      ops: counts.ops,
      ok: counts.ok,
      fail: counts.fail,
      info: counts.info,
      duration_ms: durationMs,
      campaign_id: s.campaignId,
      settings_json: JSON.stringify(s),
    };
    const index = await openIndex(s.resultsDir);
    let id: number;
    try {
      id = await index.insertRun(row);
    } finally {
      await index.close();
    }

    return {
      dir,
      id,
      valid,
      exitCode: exitCodeFor([valid]),
      settings: s,
      counts,
      result: judgement.result,
      ...(anomalyText ? { anomalyText } : {}),
      durationMs,
      nemesisErrors: nemesis?.errors ?? [],
      ...(faultsNote ? { faultsNote } : {}),
      quick,
      recovery,
      ...(livenessProblem ? { livenessProblem } : {}),
      unavailable,
      perf,
      pids: [...db.startedPids(), ...(registration.entry.watchdogPid ? [registration.entry.watchdogPid] : [])],
    };
  }
}

export function countHistory(events: readonly HistoryEvent[], finalStart: number, finalReadsPlanned: number): RunCounts {
  const c: RunCounts = { ops: 0, ok: 0, fail: 0, info: 0, faults: {}, okReadsAfterFaults: 0, finalReadsOk: 0, finalReadsPlanned };
  let firstFaultEnd = Infinity;
  const invokeTime = new Map<number, number>();
  events.forEach((e, i) => {
    if (e.process === 'nemesis') {
      // A membership change is one event, named for what it does.
      const kind = e.f === 'add-member' || e.f === 'remove-member' ? 'membership' : /^start-(.+)$/.exec(e.f)?.[1];
      if (kind) c.faults[kind] = (c.faults[kind] ?? 0) + 1;
      if ((e.f.startsWith('stop-') || kind === 'membership') && firstFaultEnd === Infinity) firstFaultEnd = e.time;
      return;
    }
    if (e.type === 'invoke') {
      c.ops++;
      invokeTime.set(e.process, e.time);
      return;
    }
    c[e.type]++;
    if (e.type === 'ok' && e.f === 'read') {
      if ((invokeTime.get(e.process) ?? 0) > firstFaultEnd) c.okReadsAfterFaults++;
      if (finalStart > 0 && i >= finalStart) c.finalReadsOk++;
    }
  });
  return c;
}
