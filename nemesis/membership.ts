// membership: nodes join and leave the running cluster through its own reconfiguration, as
// Jepsen's membership nemesis does. Each turn is one of
//   grow     add a spare now, remove a voter (the leader half the time) at the stop;
//   shrink   remove a voter now (never below three), add a spare back at the stop;
//   replace  add a spare and, as soon as it is in, remove a voter: two changes back to back;
//   replace-unreachable  (with a network to cut) a voter's link to the leader and a spare fails,
//            the operator replaces an unreachable voter by that spare, the network heals at the
//            stop: the changes must come out right whichever side hears of them first.
// Every change is recorded as an event whose f names it (add-member, remove-member).
import { hasNet, leaderOf, needMembership } from '../src/system/capabilities.ts';
import { componentsGrudge } from './partition.ts';
import type { ActiveFault, Fault, FaultEvent } from './fault.ts';

/** The cluster is never made smaller than this by the nemesis. */
export const MIN_VOTERS = 3;

type Mode = 'grow' | 'shrink' | 'replace' | 'replace-unreachable';

export const membershipFault: Fault = {
  kind: 'membership',
  async start(ctx) {
    const db = needMembership(ctx.db);
    const { voters, spares } = await db.membership();
    const leader = await leaderOf(db);
    const modes: Mode[] = [];
    if (spares.length > 0) modes.push('grow', 'replace');
    // Twice as likely: the turn where configurations can disagree.
    if (spares.length > 0 && hasNet(db) && leader && voters.length >= MIN_VOTERS) modes.push('replace-unreachable', 'replace-unreachable');
    if (voters.length > MIN_VOTERS) modes.push('shrink');
    if (modes.length === 0) throw new Error(`no membership change possible: ${voters.length} voters and no spare (start the cluster with spares)`);
    const mode = ctx.rng.pick(modes);
    const victim = (among: string[]) => (leader && among.includes(leader) && ctx.rng.next() < 0.5 ? leader : ctx.rng.pick(among));
    const events: FaultEvent[] = [];
    const add = async (node: string) => {
      events.push({ f: 'add-member', value: { node, mode } });
      await db.addMember(node);
    };
    const remove = async (node: string) => {
      events.push({ f: 'remove-member', value: { node, mode } });
      await db.removeMember(node);
    };
    // The events of the start so far, and a stop whose changes record theirs as they happen.
    const done = (label: string, stop: () => Promise<void>): { event: FaultEvent[]; active: ActiveFault } => ({
      event: events.splice(0),
      active: { kind: 'membership', label: `membership ${mode}: ${label}`, stop: async () => { await stop(); return events.splice(0); } },
    });

    if (mode === 'grow') {
      const joining = ctx.rng.pick(spares);
      await add(joining);
      return done(`+${joining}`, async () => {
        const now = await db.membership();
        if (now.voters.length > MIN_VOTERS) await remove(victim(now.voters));
      });
    }
    if (mode === 'shrink') {
      const leaving = victim(voters);
      await remove(leaving);
      return done(`-${leaving}`, async () => {
        const now = await db.membership();
        if (now.spares.length > 0) await add(ctx.rng.pick(now.spares));
      });
    }
    const joining = ctx.rng.pick(spares);
    if (mode === 'replace') {
      const leaving = victim(voters);
      await add(joining);
      await remove(leaving);
      return done(`${leaving} → ${joining}`, async () => {});
    }
    // replace-unreachable: the leader and the spare on one side, the other voters on the other;
    // one of those is replaced.
    const net = db.net!;
    const others = voters.filter((v) => v !== leader);
    const leaving = ctx.rng.pick(others);
    // Booting a node takes a while; the cut and the changes should meet a leader that still leads.
    await db.prepareMember?.(joining);
    const grudge = componentsGrudge([[leader!, joining], others]); // this turn is drawn only with a leader
    await net.blackhole((from, to) => grudge[to]?.includes(from) ?? false);
    events.push({ f: 'start-partition', value: { shape: 'leader-and-newcomer', grudge } });
    // The changes cannot complete while the cut holds (the new node must catch up from whoever
    // can choose): they run on, and the stop heals the network and waits for them.
    const changes = (async () => {
      await add(joining);
      await remove(leaving);
    })();
    // Whatever becomes of the changes, the stop heals the network and records what happened.
    const outcome = changes.then(() => undefined, (err: unknown) => (err instanceof Error ? err.message : String(err)));
    await new Promise((r) => setTimeout(r, 200));
    return done(`${leaving} → ${joining} across a cut`, async () => {
      await net.heal();
      events.push({ f: 'stop-partition', value: { shape: 'leader-and-newcomer' } });
      const failed = await outcome;
      if (failed) events.push({ f: 'membership-failed', value: { nodes: [joining, leaving], error: failed } });
    });
  },
};
