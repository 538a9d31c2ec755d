// The state one replica keeps, shared by the role modules (acceptor, leader, learner, …), and the
// Ready being built during the current step.
import type { BugName, ClientResult, ElectionPolicy, DurableRecord, NodeId, PeerMessage, Ready, ReplicaConfig } from '../types.ts';
import { ZERO_BALLOT, type Ballot } from './ballot.ts';
import { LearnedLog, type SlotValue } from './log.ts';
import type { Message } from './messages.ts';
import { RegisterMachine, type LoggedCommand } from './state-machine.ts';
import type { ReadIndex } from './read-index.ts';

export interface Settings {
  electionMin: number;
  electionMax: number;
  heartbeatMs: number;
  snapshotEvery: number;
  /** Slots a leader keeps in phase 2 at once; beyond that, commands queue and share a slot. */
  maxInflight: number;
  maxBatch: number;
  /** A pending client request with no outcome after this long is answered `unknown`. */
  requestTimeoutMs: number;
  /** A leader that has heard from no quorum for this long steps down (check-quorum). */
  leaderLeaseMs: number;
  /** Re-send phase 2a to silent acceptors after this long. */
  retransmitMs: number;
  /** Slots sent per catch-up answer. */
  fetchBatch: number;
}

export interface Proposal {
  value: SlotValue;
  votes: Set<NodeId>;
  /** The Ready holding our own accept record; our vote counts once it is durable. */
  ownVoteIn: number | null;
  sentAt: number;
}

export interface Candidacy {
  ballot: Ballot;
  from: number;
  promises: Map<NodeId, Extract<Message, { type: 'promise' }>>;
  deadline: number;
  lastSent: number;
  /** The Ready holding our promise of `ballot`. */
  ownPromiseIn: number;
}

export interface Leadership {
  ballot: Ballot;
  /** The Ready holding our own promise of `ballot`: until it is durable, 2a waits for our fsync. */
  ownPromiseIn: number;
  nextSlot: number;
  proposals: Map<number, Proposal>;
  queue: { cmd: LoggedCommand; via: NodeId | null }[];
  /** Serving reads waits until commitIndex reaches this slot (the no-op of its own ballot). */
  recoveryEnd: number;
  /** Last time each peer answered this leader (check-quorum and read confirmation). */
  lastHeard: Map<NodeId, number>;
  hbSeq: number;
  /** Linearizable reads in their stages (passive: the leader drives it). */
  reads: ReadIndex;
  lastHeartbeat: number;
}

export class Ctx {
  readonly id: NodeId;
  readonly members: NodeId[];
  readonly peers: NodeId[];
  readonly quorum: number;
  readonly bugs: ReadonlySet<BugName>;
  readonly random: () => number;
  readonly election: ElectionPolicy;
  /** Position by id, highest first: a bully election's waiting order. */
  readonly rank: number;
  /** Campaigns started (phase 1 rounds), for counting dueling rounds. */
  campaigns = 0;
  readonly s: Settings;

  now = 0;
  /** Every Ready up to this one is durable (the driver said so). */
  durableThrough = 0;
  started = false;
  // acceptor
  promised: Ballot = ZERO_BALLOT;
  accepted = new Map<number, { ballot: Ballot; value: SlotValue }>();
  // learner
  log = new LearnedLog();
  machine: RegisterMachine;
  // roles
  role: 'leader' | 'candidate' | 'follower' = 'follower';
  leader: NodeId | null = null;
  leaderBallot: Ballot = ZERO_BALLOT;
  lastLeaderContact = 0;
  electionDeadline = 0;
  maxRoundSeen = 0;
  candidacy: Candidacy | null = null;
  leadership: Leadership | null = null;
  lastFetch = -Infinity;
  /**
   * Names this life of the replica. A driver numbers requests afresh after a restart, so a
   * command a previous life put in the log can carry the same request id as a new one; when it
   * is replayed during catch-up, its old result must not answer the new request. Inside the core
   * every request id is therefore qualified by the life that received it.
   */
  readonly life: string;
  /** Client requests received here, waiting for an outcome: life-qualified id → arrival time. */
  pending = new Map<string, number>();
  /** Newly chosen slots since the last drain (for the simulator's safety invariants). */
  learnedTrail: [number, SlotValue][] | null = null;

  out: Ready = emptyReady(1);

  constructor(config: ReplicaConfig) {
    if (!config.members.includes(config.id)) throw new Error(`replica ${config.id} is not among the members ${config.members.join(',')}`);
    if (new Set(config.members).size !== config.members.length) throw new Error(`duplicate member in ${config.members.join(',')}`);
    this.id = config.id;
    this.members = [...config.members];
    this.peers = this.members.filter((m) => m !== config.id);
    this.quorum = Math.floor(this.members.length / 2) + 1;
    this.bugs = config.bugs ?? new Set();
    this.random = config.random;
    this.election = config.election ?? 'random';
    // Highest id first; ids compare as numbers where they end in numbers (n10 after n9).
    const order = [...this.members].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    this.rank = order.indexOf(this.id);
    const [emin, emax] = config.electionTimeoutMs ?? [150, 300];
    const hb = config.heartbeatMs ?? 50;
    this.s = {
      electionMin: emin,
      electionMax: emax,
      heartbeatMs: hb,
      snapshotEvery: config.snapshotEvery ?? 1000,
      maxInflight: config.maxInflight ?? 16,
      maxBatch: config.maxBatch ?? 256,
      requestTimeoutMs: config.requestTimeoutMs ?? 10_000,
      leaderLeaseMs: emax * 2,
      retransmitMs: hb * 2,
      fetchBatch: 256,
    };
    this.machine = new RegisterMachine(!this.bugs.has('no-dedup'));
    this.life = Math.floor(this.random() * 2 ** 48).toString(36);
  }

  /** The core's name for a request id the driver gave this life. */
  qualify(driverId: string): string {
    return `${this.life}:${driverId}`;
  }

  has(bug: BugName): boolean {
    return this.bugs.has(bug);
  }

  send(to: NodeId, m: Message): void {
    this.out.messages.push({ to, message: m as unknown as PeerMessage });
  }

  /** A message that may leave before this step's (and earlier steps') records are durable. */
  sendUnsynced(to: NodeId, m: Message): void {
    this.out.unsynced.push({ to, message: m as unknown as PeerMessage });
  }

  broadcast(m: Message): void {
    for (const p of this.peers) this.send(p, m);
  }

  persist(r: DurableRecord): void {
    this.out.persist.push(r);
  }

  /**
   * Answer a client request held here, by its qualified id (no-op if it already got its answer,
   * or if it belongs to a previous life: then it is not in `pending`).
   */
  reply(id: string, result: ClientResult): void {
    if (!this.pending.delete(id)) return;
    this.out.replies.push({ id: id.slice(this.life.length + 1), result });
  }

  answer(id: string, via: NodeId | null, result: ClientResult): void {
    if (via === null || via === this.id) this.reply(id, result);
    else this.sendUnsynced(via, { type: 'forward-reply', id, result });
  }

  /** How long to wait for a leader before standing (see ReplicaConfig.election). */
  randomElectionTimeout(): number {
    const span = this.s.electionMax - this.s.electionMin;
    if (this.election === 'bully') return this.s.electionMin + (this.rank * span) / this.members.length;
    return this.s.electionMin + this.random() * span;
  }

  take(): Ready {
    const r = this.out;
    this.out = emptyReady(r.seq + 1);
    return r;
  }
}

export function emptyReady(seq: number): Ready {
  return { seq, persist: [], messages: [], replies: [], unsynced: [] };
}
