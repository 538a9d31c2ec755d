// Client requests: any node accepts them. The leader serves; a follower that knows the leader
// forwards (the leader answers with forward-reply once the command is applied, or at once for
// reads and refusals); a node that knows no leader answers not-leader at once.
import type { ClientRequest, NodeId } from '../protocol.ts';
import type { Ctx } from './context.ts';
import { campaign } from './election.ts';
import { leaderRead, requestChange, submit } from './leader.ts';
import type { Message } from './messages.ts';

export function onClientRequest(ctx: Ctx, driverReq: ClientRequest): void {
  // From here on (log origin, forwards, replies) the id is qualified by this life.
  const req = { ...driverReq, id: ctx.qualify(driverReq.id) };
  ctx.pending.set(req.id, ctx.now);
  if (ctx.leadership) {
    serve(ctx, req, null, ctx.id);
  } else if (ctx.leader !== null && ctx.leader !== ctx.id) {
    // A request states nothing about our disk: it need not wait for our fsync.
    ctx.sendUnsynced(ctx.leader, { type: 'forward', request: req });
  } else {
    ctx.reply(req.id, { ok: false, error: 'not-leader', leader: null });
    // The bug's node has a value to propose and no leader to send it to, so it runs phase 1
    // itself at once (as a textbook proposer does), preempting whoever is standing.
    if (ctx.has('dueling-proposers') && ctx.isVoter && !ctx.candidacy) campaign(ctx);
  }
}

export function onForward(ctx: Ctx, from: NodeId, m: Extract<Message, { type: 'forward' }>): void {
  if (ctx.leadership) serve(ctx, m.request, from, from);
  // Forwarded once only: a second hop could loop between two nodes with stale leader hints.
  else ctx.sendUnsynced(from, { type: 'forward-reply', id: m.request.id, result: { ok: false, error: 'not-leader', leader: ctx.leader } });
}

function serve(ctx: Ctx, req: ClientRequest, via: NodeId | null, origin: NodeId): void {
  const command = req.command;
  if (command.op === 'read') {
    leaderRead(ctx, req.id, via, command.key);
    return;
  }
  if (command.op === 'add-member' || command.op === 'remove-member') {
    requestChange(ctx, req.id, via, command);
    return;
  }
  const cmd: Parameters<typeof submit>[1] = { command, origin: { node: origin, id: req.id } };
  if (req.clientId !== undefined) cmd.clientId = req.clientId;
  if (req.requestId !== undefined) cmd.requestId = req.requestId;
  submit(ctx, cmd, via);
}

export function onForwardReply(ctx: Ctx, m: Extract<Message, { type: 'forward-reply' }>): void {
  ctx.reply(m.id, m.result);
}

/** Requests nobody answered (lost forward, deposed leader): the outcome is unknown. */
export function expirePending(ctx: Ctx): void {
  for (const [id, at] of ctx.pending) {
    if (ctx.now - at < ctx.s.requestTimeoutMs) break; // insertion order = arrival order
    ctx.reply(id, { ok: false, error: 'unknown', message: 'no outcome within the request timeout' });
  }
}
