// The state one replica keeps, shared by the role modules (acceptor, leader, learner, …), and the
// Ready being built during the current step.
import { DEFAULT_ELECTION_TIMEOUT_MS, type BugName, type ClientResult, type ElectionPolicy, type DurableRecord, type NodeId, type PeerMessage, type Ready, type ReplicaConfig } from '../types.ts';
import { ZERO_BALLOT, type Ballot } from './ballot.ts';
import { everyone, majority, sortIds, type Configuration, type MemberChange } from './configuration.ts';
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
  checkQuorumMs: number;
  /** Leader leases (lease.ts): how long a follower's promise to its leader lasts; 0: off. */
  leaseMs: number;
  /** Re-send phase 2a to silent acceptors after this long. */
  retransmitMs: number;
  /** Slots sent per catch-up answer. */
  fetchBatch: number;
}

export interface Proposal {
  value: SlotValue;
  /** Who votes on this slot (the configuration in force for it) and how many make it chosen. */
  voters: ReadonlySet<NodeId>;
  quorum: number;
  votes: Set<NodeId>;
  /** The Ready holding our own accept record; our vote counts once it is durable. */
  ownVoteIn: number | null;
  sentAt: number;
}

export interface Candidacy {
  ballot: Ballot;
  from: number;
  promises: Map<NodeId, Extract<Message, { type: 'promise' }>>;
  /** Everyone sent our prepare: the configuration's members, then members of configurations the promises reveal. */
  asked: NodeId[];
  deadline: number;
  lastSent: number;
  /** The Ready holding our promise of `ballot`. */
  ownPromiseIn: number;
}

/** A leader's lease (lease.ts): how long it may answer reads alone. */
export interface LeaderLease {
  /** The lease lasts while the lease clock is below this. */
  until: number;
  /** When each recent heartbeat round was sent, on the lease clock. */
  sentAt: Map<number, number>;
  /** The highest heartbeat round each follower acknowledged. */
  acked: Map<NodeId, number>;
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
  /**
   * Recovered slots not proposed yet: they wait behind a configuration slot (`barrier`) until it
   * is chosen and applied, because which quorum decides them depends on it.
   */
  held: [slot: number, value: SlotValue][];
  /** A configuration slot not yet applied: nothing after it is proposed until it is (0: none). */
  barrier: number;
  /** The membership change being carried out, and who waits for its answer. */
  change: { cmd: MemberChange; waiters: { id: string; via: NodeId | null }[]; caughtUp: boolean } | null;
  /** Followers' commit indexes as their heartbeat acks report them (a learner's catch-up). */
  progress: Map<NodeId, number>;
  /** Bug config-before-chosen: the configuration proposed last, used at once as if chosen. */
  adopted: Configuration | null;
  lease: LeaderLease;
}

export class Ctx {
  readonly id: NodeId;
  /** The configuration the replica was started with: in force until the log says otherwise. */
  readonly initial: Configuration;
  /** The configuration in force after the applied index, and the slot that chose it (0: initial). */
  config!: Configuration;
  configSlot = 0;
  // Derived from `config` (setConfig keeps them in step).
  /** Everyone in the configuration but us: whom a leader or candidate sends to. */
  peers!: NodeId[];
  voterSet!: ReadonlySet<NodeId>;
  quorum!: number;
  /** Position among the voters by id, highest first: a bully election's waiting order. */
  rank!: number;
  readonly bugs: ReadonlySet<BugName>;
  readonly random: () => number;
  readonly election: ElectionPolicy;
  /** Campaigns started (phase 1 rounds), for counting dueling rounds. */
  campaigns = 0;
  readonly s: Settings;

  now = 0;
  /** The driver's wall clock at the last tick (or request); only bug lease-wall-clock reads it. */
  wall = 0;
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
  /** Leases: whom we promised to follow, and since when (on the lease clock); see lease.ts. */
  leaseGrant: { to: NodeId; at: number; fresh: boolean } | null = null;
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
    if (config.members.length === 0) throw new Error('a replica needs at least one member to vote');
    if (new Set(config.members).size !== config.members.length) throw new Error(`duplicate member in ${config.members.join(',')}`);
    this.id = config.id;
    // A replica outside the initial members is a spare: it votes only once the log adds it.
    this.initial = { voters: [...config.members], learners: [] };
    this.setConfig(this.initial, 0);
    this.bugs = config.bugs ?? new Set();
    this.random = config.random;
    this.election = config.election ?? 'random';
    const [emin, emax] = config.electionTimeoutMs ?? DEFAULT_ELECTION_TIMEOUT_MS;
    const hb = config.heartbeatMs ?? 50;
    this.s = {
      electionMin: emin,
      electionMax: emax,
      heartbeatMs: hb,
      snapshotEvery: config.snapshotEvery ?? 1000,
      maxInflight: config.maxInflight ?? 16,
      maxBatch: config.maxBatch ?? 256,
      requestTimeoutMs: config.requestTimeoutMs ?? 10_000,
      checkQuorumMs: emax * 2,
      leaseMs: config.leaseMs || (this.bugs.has('lease-wall-clock') ? emax : 0),
      retransmitMs: hb * 2,
      fetchBatch: 256,
    };
    this.machine = new RegisterMachine(!this.bugs.has('no-dedup'));
    this.life = Math.floor(this.random() * 2 ** 48).toString(36);
  }

  setConfig(c: Configuration, slot: number): void {
    this.config = c;
    this.configSlot = slot;
    this.peers = everyone(c).filter((m) => m !== this.id);
    this.voterSet = new Set(c.voters);
    this.quorum = majority(c);
    const order = sortIds(c.voters).reverse(); // highest id first
    this.rank = this.voterSet.has(this.id) ? order.indexOf(this.id) : order.length;
  }

  get isVoter(): boolean {
    return this.voterSet.has(this.id);
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
    // The bug's timeout is the same everywhere: followers that heard the same last heartbeat stand together.
    if (this.bugs.has('dueling-proposers')) return this.s.electionMin;
    const span = this.s.electionMax - this.s.electionMin;
    if (this.election === 'bully') return this.s.electionMin + (this.rank * span) / this.config.voters.length;
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
