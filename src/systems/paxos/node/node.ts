// One replica as a real process: recover the write-ahead log, build the core, then drive it
// with ticks, peer messages and HTTP requests, persisting (group commit) before any output.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BugName, DurableRecord, ElectionPolicy, Input, NodeId, PeerMessage, ReplicaConfig, ReplicaCore, ReplicaStatus } from '../types.ts';
import { HttpApi } from './http-api.ts';
import { fileNodeLog, type NodeLog } from './node-log.ts';
import { ReadyPipeline } from '../driver/ready-pipeline.ts';
import { encodeFrame } from './frames.ts';
import { PeerTransport, type PeerAddress } from './transport.ts';
import { decodeMessage, WireError } from '../core/wire.ts';
import { WalOpenError, WriteAheadLog } from './wal.ts';
import { Failpoints } from './failpoints.ts';
import { isToken, TOKEN_ENV } from '../../../process/ownership.ts';

export type CreateCore = (config: ReplicaConfig, recovered: DurableRecord[]) => ReplicaCore;

export interface NodeOptions {
  id: NodeId;
  members: NodeId[];
  /** Where this node's WAL and log file live. */
  dir: string;
  host?: string;
  httpPort: number;
  peerPort: number;
  /** Address this node dials for each other member (may be a fault proxy). */
  peers: ReadonlyMap<NodeId, PeerAddress>;
  bugs?: ReadonlySet<BugName>;
  createCore: CreateCore;
  tickMs?: number;
  requestTimeoutMs?: number;
  fsync?: boolean;
  electionTimeoutMs?: [number, number];
  election?: ElectionPolicy;
  heartbeatMs?: number;
  snapshotEvery?: number;
  /** Leader leases (core/lease.ts), off when absent. */
  leaseMs?: number;
  /** Called when the node cannot go on (WAL failure, core exception); default: log only. */
  onFatal?: (err: Error) => void;
  log?: NodeLog;
}

export interface RunningNode {
  readonly httpPort: number;
  readonly peerPort: number;
  status(): ReplicaStatus;
  stop(): Promise<void>;
}

/** Throws WalCorruptError (refuse to start) or a listen error (port in use). */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  try {
    mkdirSync(options.dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WalOpenError(`--dir ${options.dir} cannot hold the node's data: ${code === 'EEXIST' || code === 'ENOTDIR' ? 'it (or a parent) is a file, not a directory' : (code ?? (err as Error).message)}`);
  }
  const log = options.log ?? fileNodeLog(join(options.dir, 'node.log'), options.id);
  const bugs = options.bugs ?? new Set<BugName>();
  const host = options.host ?? '127.0.0.1';
  const ackBeforeFsync = bugs.has('ack-before-fsync');

  const failpoints = new Failpoints(log);
  const { wal, recovery } = await WriteAheadLog.open(join(options.dir, 'wal.log'), {
    fsync: options.fsync ?? true,
    onSnapshotWritten: () => failpoints.hit('snapshot-written'),
    lazyFlushMs: ackBeforeFsync ? 200 : undefined,
    ...(bugs.has('ignore-fsync-error') ? { ignoreSyncError: onceEvery(1000, (err: Error, n: number) => log(`bug ignore-fsync-error: fsync failed (${err.message}; ${n} so far); carrying on as if durable`)) } : {}),
  });
  log(
    `start pid=${process.pid} members=${options.members.join(',')} http=${host}:${options.httpPort} ` +
      `peer=${host}:${options.peerPort} bugs=${[...bugs].join(',') || 'none'} ` +
      `recovered=${recovery.records.length} records` +
      (recovery.truncatedBytes > 0 ? `, cut a torn tail of ${recovery.truncatedBytes} bytes` : '') +
      (recovery.droppedUnfinishedSnapshot ? ', removed an unfinished snapshot file (its rename never happened; the old log is the truth)' : ''),
  );

  const config: ReplicaConfig = {
    id: options.id,
    members: options.members,
    bugs,
    random: Math.random,
    // The core forgets a request shortly after HTTP has answered it 504, not 10 s later.
    requestTimeoutMs: (options.requestTimeoutMs ?? 2000) + 500,
    ...(options.electionTimeoutMs ? { electionTimeoutMs: options.electionTimeoutMs } : {}),
    ...(options.election ? { election: options.election } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.snapshotEvery !== undefined ? { snapshotEvery: options.snapshotEvery } : {}),
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
  };
  const core = options.createCore(config, recovery.records);

  let fatal = false;
  const die = (err: Error): void => {
    if (fatal) return;
    fatal = true;
    log(`fatal: ${err.stack ?? err.message}`);
    options.onFatal?.(err);
  };
  wal.onError(die);

  let promiseSent = false;
  let stepRole = 'follower';
  let stepApplied = core.status().appliedIndex;
  // Late-bound: the pipeline can release outputs only once both endpoints exist.
  let http: HttpApi | null = null;
  let transport: PeerTransport | null = null;
  // Phase-2 messages held by a fired `delay` failpoint, in the order they would have left. Once
  // anything is held, later phase-2 messages queue behind it, so each peer still sees them in order.
  const held: { to: NodeId; message: PeerMessage; frame: Buffer | undefined }[] = [];
  const sendPeer = (to: NodeId, message: PeerMessage, frame: Buffer | undefined): void => {
    if ((message.type === 'accept' || message.type === 'accepted') && (held.length > 0 || failpoints.holding() > 0)) {
      if (held.length === 0) setTimeout(releaseHeld, failpoints.holding());
      held.push({ to, message, frame });
      return;
    }
    transport?.send(to, message, frame);
  };
  const releaseHeld = (): void => {
    for (const h of held.splice(0)) transport?.send(h.to, h.message, h.frame);
  };
  const pipeline = new ReadyPipeline(
    wal,
    { deliver: ({ messages, replies }) => {
      // A broadcast is one message object sent to every peer: encode it once per Ready.
      let frames: Map<PeerMessage, Buffer> | null = null;
      for (const m of messages) {
        if (m.message.type === 'promise') promiseSent = true;
        let frame: Buffer | undefined;
        if (messages.length > 1) {
          frames ??= new Map();
          frame = frames.get(m.message);
          if (!frame) frames.set(m.message, (frame = encodeFrame(m.message)));
        }
        sendPeer(m.to, m.message, frame);
      }
      for (const r of replies) http?.reply(r.id, r.result);
      if (replies.length > 0 && stepRole === 'leader') failpoints.hit('reply-sent');
      if (promiseSent) {
        promiseSent = false;
        failpoints.hit('promise-sent');
      }
    } },
    ackBeforeFsync,
    (through) => step({ type: 'durable', through }),
  );

  const step = (input: Input): void => {
    if (fatal) return;
    try {
      const ready = core.step(input);
      const { role, appliedIndex } = core.status();
      // Before the step's outputs leave: a delay or pause armed here holds the new leader's
      // recovery proposals and its own no-op too, not only what comes after them.
      if (role === 'leader' && stepRole !== 'leader') failpoints.hit('leader-elected');
      stepRole = role;
      if (appliedIndex > stepApplied) failpoints.hit('before-apply');
      stepApplied = appliedIndex;
      pipeline.handle(ready);
    } catch (err) {
      die(err instanceof Error ? err : new Error(String(err)));
    }
  };

  transport = new PeerTransport({
    id: options.id,
    listen: { host, port: options.peerPort },
    peers: options.peers,
    // Checked once, here, where messages enter: a peer sending nonsense is logged and ignored.
    onMessage: (from, raw) => {
      let message;
      try {
        message = decodeMessage(raw);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        log(`dropped a message from ${from}: ${err.message}`);
        return;
      }
      step({ type: 'message', from, message });
    },
    log,
  });
  const token = process.env[TOKEN_ENV];
  http = new HttpApi({
    ...(token && isToken(token) ? { admin: { token, failpoints } } : {}),
    host,
    port: options.httpPort,
    timeoutMs: options.requestTimeoutMs ?? 2000,
    // The clocks as the request arrives: a leader judges its lease at that moment.
    submit: (request) => step({ type: 'request', request, now: performance.now(), wall: Date.now() }),
    status: () => ({
      ...core.status(),
      pid: process.pid,
      bugs: [...bugs],
      walSyncs: wal.syncCount,
      peersConnected: transport?.connectedPeers() ?? [],
      droppedMessages: transport?.droppedMessages() ?? 0,
      inFlight: http?.inFlight ?? 0,
      outputsAwaitingFsync: pipeline.pending,
    }),
  });
  try {
    await transport.start();
    await http.start();
  } catch (err) {
    log(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    await transport.close();
    await http.close();
    await wal.close();
    throw err;
  }

  let lastRole = '';
  let lastLeader: NodeId | null | undefined;
  const tick = setInterval(() => {
    step({ type: 'tick', now: performance.now(), wall: Date.now() });
    const s = core.status();
    if (s.role !== lastRole || s.leader !== lastLeader) {
      log(`role ${s.role} leader=${s.leader ?? 'none'} ballot=${s.ballot.round}.${s.ballot.node} commit=${s.commitIndex}`);
      lastRole = s.role;
      lastLeader = s.leader;
    }
  }, options.tickMs ?? 10);

  let stopping: Promise<void> | null = null;
  return {
    httpPort: options.httpPort,
    peerPort: options.peerPort,
    status: () => core.status(),
    stop() {
      stopping ??= (async () => {
        clearInterval(tick);
        await http.close();
        await transport.close();
        await wal.close();
        log('stopped');
      })();
      return stopping;
    },
  };
}

/** Calls `f` on the first call and then once every `ms`, with how many calls there were in all. */
function onceEvery<T>(ms: number, f: (arg: T, count: number) => void): (arg: T) => void {
  let count = 0;
  let last = -Infinity;
  return (arg) => {
    count++;
    const now = performance.now();
    if (now - last < ms) return;
    last = now;
    f(arg, count);
  };
}
