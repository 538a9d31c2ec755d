// Which faults a DB can take: each fault kind needs a capability (db.ts), asked of the DB
// object itself as Jepsen asks whether a db satisfies a protocol.
import type { FaultKind } from './fault-kinds.ts';
import type { ClockFaults, DB, DiskFaults, Failpoints, Kill, Membership, Net, Pause, Primary, SyncFaults } from './db.ts';

export const canKill = (db: DB): db is DB & Kill => typeof db.kill === 'function' && typeof db.restart === 'function';
export const canPause = (db: DB): db is DB & Pause => typeof db.pause === 'function' && typeof db.resume === 'function';
export const hasNet = (db: DB): db is DB & Net => typeof db.net === 'object' && db.net !== null;
export const hasPrimary = (db: DB): db is DB & Primary => typeof db.leader === 'function';
export const hasFailpoints = (db: DB): db is DB & Failpoints & Kill =>
  typeof db.armFailpoint === 'function' && typeof db.disarmFailpoints === 'function' && typeof db.failpoints === 'function' && canKill(db);

export const canFailSync = (db: DB): db is DB & SyncFaults => typeof db.failSync === 'function' && typeof db.healSync === 'function';

export const canSkewClock = (db: DB): db is DB & ClockFaults => typeof db.setClockOffset === 'function';

export const canCorruptDisk = (db: DB): db is DB & DiskFaults => typeof db.corruptDisk === 'function' && typeof db.restoreDisk === 'function';

export const canChangeMembers = (db: DB): db is DB & Membership =>
  typeof db.membership === 'function' && typeof db.addMember === 'function' && typeof db.removeMember === 'function';

/** The capability each fault needs, in words for the refusal. */
const NEEDS: Record<FaultKind, { test: (db: DB) => boolean; what: string }> = {
  kill: { test: canKill, what: 'kill and restart (Kill)' },
  'power-loss': { test: canKill, what: 'kill and restart (Kill)' },
  pause: { test: canPause, what: 'pause and resume (Pause)' },
  partition: { test: hasNet, what: 'a network the nemesis can cut (Net)' },
  failpoint: { test: hasFailpoints, what: 'named failpoints, and kill and restart (Failpoints, Kill)' },
  fsync: { test: canFailSync, what: 'fsync errors on a node (SyncFaults)' },
  clock: { test: canSkewClock, what: "setting a node's wall clock (ClockFaults)" },
  corrupt: { test: canCorruptDisk, what: "damaging a stopped node's durable files (DiskFaults)" },
  membership: { test: canChangeMembers, what: 'adding and removing members (Membership)' },
};

/** Why the DB cannot take these faults (one line per fault), or undefined when it can. */
export function missingCapabilities(system: string, db: DB, faults: readonly FaultKind[]): string | undefined {
  const lines = faults.filter((f) => !NEEDS[f].test(db)).map((f) => `--nemesis ${f} needs ${NEEDS[f].what}, which --db ${system} does not offer`);
  return lines.length ? lines.join('; ') : undefined;
}

/**
 * The DB as one with a capability, for a fault that only runs once the run checked it can (see
 * missingCapabilities); `cannot` is the error if it somehow got here without.
 */
function requiring<T extends DB>(has: (db: DB) => db is T, cannot: string): (db: DB) => T {
  return (db) => {
    if (!has(db)) throw new Error(cannot);
    return db;
  };
}

export const needKill = requiring(canKill, 'this system cannot be killed and restarted');
export const needPause = requiring(canPause, 'this system cannot be paused');
export const needFailpoints = requiring(hasFailpoints, 'this system has no failpoints');
export const needSyncFaults = requiring(canFailSync, 'this system cannot be given fsync errors');
export const needClockFaults = requiring(canSkewClock, "this system's clocks cannot be set");
export const needDiskFaults = requiring(canCorruptDisk, "this system's disks cannot be damaged");
export const needNet = requiring(hasNet, 'this system has no network the nemesis can cut');
export const needMembership = requiring(canChangeMembers, 'this system cannot add or remove members');

/** Who leads, when the system can say; null otherwise. */
export async function leaderOf(db: DB): Promise<string | null> {
  return hasPrimary(db) ? db.leader() : null;
}
