// Pairs each invoke with its completion for display. Unlike the checker's operations, `fail`
// ops are kept: the report shows everything the clients saw.
import type { HistoryEvent } from '../../checker/types.ts';

export type OpOutcome = 'ok' | 'fail' | 'info';

/** One client op as the report draws it. */
export interface ReportOp {
  /** Dense 0-based, in invoke order (fail ops included, so not the checker's ids). */
  id: number;
  process: number;
  f: string;
  key?: string;
  input: unknown;
  /** The completion's value (`ok` and `fail`), undefined for info / unfinished. */
  output: unknown;
  outcome: OpOutcome;
  /** Invoke time (ns). */
  call: number;
  /** Completion time (ns); null when the op never completed (read as info). */
  ret: number | null;
  node?: string;
  error?: string;
  /** The logical client, when the runner records one on the invoke (`client` field). */
  client?: number;
  /** Positions of the invoke and completion events in the history array. */
  invokeIndex: number;
  completeIndex?: number;
}

/** A nemesis event, kept in history order. */
export interface FaultEvent {
  index: number;
  time: number;
  type: string;
  f: string;
  value: unknown;
}

export interface PairedHistory {
  ops: ReportOp[];
  faults: FaultEvent[];
  /** Time of the last event (ns); 0 for an empty history. */
  end: number;
}

export function pairHistory(history: readonly HistoryEvent[]): PairedHistory {
  const ops: ReportOp[] = [];
  const faults: FaultEvent[] = [];
  const open = new Map<number, ReportOp>();
  let end = 0;
  history.forEach((e, index) => {
    if (Number.isFinite(e.time)) end = Math.max(end, e.time);
    if (e.process === 'nemesis') {
      faults.push({ index, time: e.time, type: e.type, f: e.f, value: e.value });
      return;
    }
    if (e.type === 'invoke') {
      const op: ReportOp = {
        id: ops.length,
        process: e.process,
        f: e.f,
        input: e.value,
        output: undefined,
        outcome: 'info',
        call: e.time,
        ret: null,
        invokeIndex: index,
      };
      if (e.key !== undefined) op.key = e.key;
      if (e.node !== undefined) op.node = e.node;
      if (typeof e.client === 'number') op.client = e.client;
      ops.push(op);
      open.set(e.process, op);
      return;
    }
    const op = open.get(e.process);
    if (!op) return; // a completion without invoke: the parser reports it; the report skips it
    open.delete(e.process);
    op.outcome = e.type;
    op.ret = e.time;
    op.completeIndex = index;
    if (e.type !== 'info') op.output = e.value;
    if (e.node !== undefined) op.node = e.node;
    if (e.error !== undefined) op.error = e.error;
  });
  return { ops, faults, end };
}
