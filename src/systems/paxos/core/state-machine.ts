// The replicated state machine: keyed integer registers (a never-written key reads 0) plus the
// dedup table that makes a retried or re-forwarded command apply once. The table is bounded: it
// keeps the MAX_SESSIONS clients heard from most recently (in apply order, so every replica
// evicts the same ones); a client evicted that way has lost its session, and a retry it sends
// after that is applied as a new command.
import type { ClientResult, Command } from '../protocol.ts';

/** A client command as it sits in the log: who sent it (for dedup) and who waits for the reply. */
export interface LoggedCommand {
  command: Command;
  clientId?: string;
  requestId?: string;
  /** The node holding the client's connection, and its request id there. */
  origin?: { node: string; id: string };
}

export interface DedupEntry {
  requestId: string;
  result: ClientResult;
  /** The command the pair was first used for, so a reuse for another command is refused. */
  command?: string;
}

/** Clients whose last request the table remembers. */
export const MAX_SESSIONS = 10_000;

export interface MachineState {
  registers: [string, number][];
  dedup: [string, DedupEntry][];
}

/**
 * Request ids from one client increase. When both ids are decimal integers we compare them as
 * numbers, so a late duplicate of an OLDER request is recognised too; otherwise only the last one.
 */
function requestOrder(a: string, b: string): number | null {
  if (/^\d{1,15}$/.test(a) && /^\d{1,15}$/.test(b)) return Number(a) - Number(b);
  return a === b ? 0 : null;
}

function fingerprint(c: Command): string {
  return JSON.stringify(c);
}

export class RegisterMachine {
  private registers = new Map<string, number>();
  private dedup = new Map<string, DedupEntry>();

  constructor(private readonly dedupEnabled = true) {}

  read(key: string): number {
    return this.registers.get(key) ?? 0;
  }

  apply(entry: LoggedCommand): ClientResult {
    const { clientId, requestId } = entry;
    if (clientId !== undefined && requestId !== undefined) {
      const last = this.dedup.get(clientId);
      if (last && this.dedupEnabled) {
        const order = requestOrder(requestId, last.requestId);
        if (order === 0) {
          if (last.command !== undefined && last.command !== fingerprint(entry.command)) {
            return { ok: false, error: 'request-id-reused', message: `client ${clientId} already used request id ${requestId} for another command` };
          }
          return last.result;
        }
        if (order !== null && order < 0) {
          return { ok: false, error: 'unknown', message: 'stale duplicate of an older request' };
        }
      }
      const result = this.execute(entry.command);
      // Delete first so the client moves to the newest end; the oldest session goes past the cap.
      this.dedup.delete(clientId);
      this.dedup.set(clientId, { requestId, result, command: fingerprint(entry.command) });
      if (this.dedup.size > MAX_SESSIONS) this.dedup.delete(this.dedup.keys().next().value!);
      return result;
    }
    return this.execute(entry.command);
  }

  private execute(c: Command): ClientResult {
    switch (c.op) {
      case 'read':
        return { ok: true, value: this.read(c.key) };
      case 'write':
        this.registers.set(c.key, c.value);
        return { ok: true, value: c.value };
      case 'cas': {
        const cur = this.read(c.key);
        if (cur !== c.expected) return { ok: false, error: 'cas-mismatch', value: cur };
        this.registers.set(c.key, c.new);
        return { ok: true, value: c.new };
      }
      case 'inc': {
        // Past 2^53 a double can no longer count by one: refusing beats answering 200 to an
        // increment that changed nothing.
        const cur = this.read(c.key);
        const next = cur + c.delta;
        if (!Number.isSafeInteger(next)) return { ok: false, error: 'out-of-range', value: cur };
        this.registers.set(c.key, next);
        return { ok: true, value: next };
      }
    }
  }

  /** Sessions the dedup table holds now. */
  get sessions(): number {
    return this.dedup.size;
  }

  snapshot(): MachineState {
    return { registers: [...this.registers], dedup: [...this.dedup] };
  }

  restore(s: MachineState): void {
    this.registers = new Map(s.registers);
    this.dedup = new Map(s.dedup);
  }

  /** A stable digest of the registers, for cross-replica agreement checks. */
  digest(): string {
    return JSON.stringify([...this.registers].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }
}
