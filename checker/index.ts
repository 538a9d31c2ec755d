// tenrec's checker as a library: parse a history, pair it into operations, check it.
//
//   import { check, parseHistory, toOperations } from 'tenrec';
//   const ops = toOperations(parseHistory(text, { file: 'history.jsonl' }));
//   const result = await check(ops, { model: 'cas-register', timeoutMs: 60_000 });
export { check, checkSync } from './check.ts';
export type { CheckOptions } from './check.ts';
export { models, getModel, inferModel, modelNames, ModelInputError, parseInitialText } from './models/index.ts';
export type { Model, AnyModel, StateKey } from './models/index.ts';
export { unpartitioned } from './models/product.ts';
export { formatAnomaly } from './evidence/format.ts';
export type { FormatOptions } from './evidence/format.ts';
export { parseHistory, parseHistoryDetected, HistoryError } from './history/parse.ts';
export type { HistoryFormat, ParseOptions } from './history/parse.ts';
export { toOperations } from './history/operations.ts';
export type * from './types.ts';
export { checkCounterBounds } from './quick/counter-bounds.ts';
export { checkSetFull } from './quick/set-full.ts';
export { checkUniqueIds } from './quick/unique-ids.ts';
export type { QuickCheckResult, QuickFinding } from './quick/quick-check.ts';
