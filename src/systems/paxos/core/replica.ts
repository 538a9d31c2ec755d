// A replica: acceptor, proposer, learner and state machine behind one sans-IO step function.
import type { DurableRecord, Input, NodeId, Ready, ReplicaConfig, ReplicaCore, ReplicaStatus } from '../types.ts';
import { compareBallots } from './ballot.ts';
import { onAccept, onPrepare } from './acceptor.ts';
import { Ctx } from './context.ts';
import { campaign, electionTick, noteLeader, onPromise, preempted, yieldTo } from './election.ts';
import { expirePending, onClientRequest, onForward, onForwardReply } from './forwarding.ts';
import { onAccepted, onDurable, onHeartbeatAck, onNack, serveReads } from './leader.ts';
import { onCommitInfo, onEntries, onFetch } from './learner.ts';
import type { SlotValue } from './log.ts';
import type { Message } from './messages.ts';
import { recover } from './recovery.ts';
import { bootLease, leaseLeft, leasesOn, releaseLease, settleLease } from './lease.ts';

export interface Replica extends ReplicaCore {
  /** Slots learned as chosen since the last call (for the simulator's invariants; off until first called). */
  takeLearned(): [number, SlotValue][];
  /** Applied index (for cross-replica agreement checks). */
  inspect(): { appliedIndex: number; commitIndex: number };
  /** A digest of the registers as of the applied index. */
  digest(): string;
}

export function createReplica(config: ReplicaConfig, recovered: DurableRecord[] = []): Replica {
  const ctx = new Ctx(config);
  recover(ctx, recovered);
  bootLease(ctx);
  return {
    step(input: Input): Ready {
      switch (input.type) {
        case 'tick':
          ctx.now = Math.max(ctx.now, input.now);
          ctx.wall = input.wall ?? ctx.now;
          settleLease(ctx);
          electionTick(ctx);
          expirePending(ctx);
          break;
        case 'message':
          onMessage(ctx, input.from, input.message);
          break;
        case 'request':
          if (input.now !== undefined) ctx.now = Math.max(ctx.now, input.now);
          if (input.wall !== undefined || input.now !== undefined) ctx.wall = input.wall ?? ctx.now;
          onClientRequest(ctx, input.request);
          break;
        case 'durable':
          onDurable(ctx, input.through);
          break;
      }
      // Reads last: whatever this step applied may complete them.
      serveReads(ctx);
      return ctx.take();
    },
    status(): ReplicaStatus {
      return {
        id: ctx.id,
        role: ctx.role,
        leader: ctx.leader,
        ballot: ctx.leadership?.ballot ?? ctx.promised,
        commitIndex: ctx.log.commitIndex,
        appliedIndex: ctx.log.appliedIndex,
        snapshotIndex: ctx.log.snapshotIndex,
        pendingRequests: ctx.pending.size,
        inflightSlots: ctx.leadership?.proposals.size ?? 0,
        campaigns: ctx.campaigns,
        election: ctx.election,
        configuration: { voters: [...ctx.config.voters], learners: [...ctx.config.learners], slot: ctx.configSlot },
        ...(ctx.leadership?.change ? { change: { ...ctx.leadership.change.cmd } } : {}),
        ...(ctx.leadership && leasesOn(ctx) ? { leaseLeftMs: leaseLeft(ctx, ctx.leadership) } : {}),
      };
    },
    takeLearned() {
      // Tracing starts with the first call, so drivers that never ask keep no trail.
      const t = ctx.learnedTrail ?? [];
      ctx.learnedTrail = [];
      return t;
    },
    inspect() {
      return { appliedIndex: ctx.log.appliedIndex, commitIndex: ctx.log.commitIndex };
    },
    digest() {
      return ctx.machine.digest();
    },
  };
}

function onMessage(ctx: Ctx, from: NodeId, m: Message): void {
  switch (m.type) {
    case 'prepare':
      onPrepare(ctx, from, m);
      if (compareBallots(ctx.promised, m.ballot) === 0 && from !== ctx.id) yieldTo(ctx, m.ballot);
      return;
    case 'promise':
      return onPromise(ctx, from, m);
    case 'accept':
      if (onAccept(ctx, from, m)) {
        noteLeader(ctx, from, m.ballot);
        onCommitInfo(ctx, from, m.ballot, m.commit);
      }
      return;
    case 'accepted':
      return onAccepted(ctx, from, m);
    case 'nack':
      if (onNack(ctx, m)) preempted(ctx, null);
      return;
    case 'heartbeat':
      if (compareBallots(m.ballot, ctx.promised) < 0) {
        ctx.send(from, { type: 'nack', ballot: m.ballot, promised: ctx.promised });
        return;
      }
      noteLeader(ctx, from, m.ballot);
      // The ack only says "I have promised nothing above your ballot"; it need not wait for
      // our pending fsync. Read rounds then cost one round trip, not one round trip plus a
      // follower's group commit. Safe because what could make the leader's read stale is a
      // higher ballot a quorum accepted, and an acceptor persists that before it counts: our
      // in-memory promise is never below our durable one, so we would nack instead.
      ctx.sendUnsynced(from, { type: 'heartbeat-ack', ballot: m.ballot, seq: m.seq, commit: ctx.log.commitIndex });
      onCommitInfo(ctx, from, m.ballot, m.commit);
      return;
    case 'heartbeat-ack':
      return onHeartbeatAck(ctx, from, m);
    case 'fetch':
      return onFetch(ctx, from, m);
    case 'entries':
      return onEntries(ctx, from, m);
    case 'forward':
      return onForward(ctx, from, m);
    case 'forward-reply':
      return onForwardReply(ctx, m);
    case 'campaign-now':
      // Our leader was removed and hands over to us: stand now rather than after a timeout.
      if (from === ctx.leader && ctx.isVoter && !ctx.leadership && !ctx.candidacy) {
        releaseLease(ctx);
        campaign(ctx);
      }
      return;
  }
}
