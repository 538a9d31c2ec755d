// Where and when an op ran, for the anomaly's lead: the node that served it, and the fault in
// force at that moment or just healed ("served by n1, during partition {n1} | {n2,n3} (since
// 4.100 s)"). Built from the history's own nemesis events, so `check` of a history file says the
// same as the run that recorded it.
import type { HistoryEvent, Operation } from '../../checker/types.ts';
import { formatTime } from '../../checker/evidence/time.ts';
import { faultBands, type FaultBand } from './bands.ts';
import { pairHistory } from './pair.ts';

/** A fault that ended this long before the op began still counts as "just healed". */
const JUST_HEALED_NS = 2e9;

export type Circumstances = (op: Pick<Operation, 'call' | 'return' | 'node'>) => string | undefined;

export function circumstancesFrom(events: readonly HistoryEvent[]): Circumstances {
  const { bands } = faultBands(pairHistory(events).faults);
  return (op) => describeMoment(op, bands);
}

function label(b: FaultBand): string {
  return b.target ? `${b.kind} ${b.target}` : b.kind;
}

export function describeMoment(op: Pick<Operation, 'call' | 'return' | 'node'>, bands: readonly FaultBand[]): string | undefined {
  const served = op.node ? `served by ${op.node}` : undefined;
  const end = Number.isFinite(op.return) ? op.return : Infinity;
  const during = bands.filter((b) => b.start <= end && (b.end === null || b.end >= op.call));
  let when: string | undefined;
  if (during.length > 0) {
    when = `during ${during.map((b) => `${label(b)} (${b.start <= op.call ? 'since' : 'from'} ${formatTime(b.start)})`).join(' and ')}`;
  } else {
    const healed = bands
      .filter((b) => b.end !== null && b.end < op.call && op.call - b.end <= JUST_HEALED_NS)
      .sort((a, b) => b.end! - a.end!)[0];
    if (healed) when = `${formatTime(op.call - healed.end!)} after ${label(healed)} ended (at ${formatTime(healed.end!)})`;
    else if (bands.length > 0) when = 'with no fault in force';
  }
  const parts = [served, when].filter((x): x is string => !!x);
  if (parts.length === 0) return undefined;
  const text = parts.join(', ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}
