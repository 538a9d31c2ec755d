// The anomaly in words, the same in every place that shows it (`check`, `test`, `show`, JUnit and
// the report's lead): kind and op first, then the node and the fault of that moment, then details.
import type { Anomaly, HistoryEvent, Operation } from '../../checker/types.ts';
import { formatAnomaly } from '../../checker/evidence/format.ts';
import { getModel } from '../../checker/models/index.ts';
import { circumstancesFrom, describeMoment } from './circumstances.ts';
import type { FaultBand } from './bands.ts';

/** The model's own wording for ops, when the model is one the registry names. */
function describerFor(model: string | undefined): ((op: Operation) => string) | undefined {
  if (model === undefined) return undefined;
  try {
    const m = getModel(model);
    return (op) => m.describeOp(op);
  } catch {
    return undefined;
  }
}

export function anomalyText(anomaly: Anomaly, ops: readonly Operation[], events: readonly HistoryEvent[], model?: string): string {
  const describe = describerFor(model);
  return formatAnomaly(anomaly, ops, { ...(describe ? { describe } : {}), circumstances: circumstancesFrom(events) });
}

/** The lead sentence and the moment sentence, for the HTML report (which has the fault bands already). */
export function anomalyLead(anomaly: Anomaly, bands: readonly FaultBand[]): { headline: string; moment?: string } {
  const moment = describeMoment(anomaly.op, bands);
  return { headline: anomaly.headline ?? anomaly.explanation, ...(moment ? { moment } : {}) };
}
