// Knossos' mutex: `acquire` takes a free lock, `release` frees a held one; starts free. Per key,
// so several locks can be checked in one history.
import { spellOperation } from '../evidence/spell.ts';
import { ModelInputError, type Model } from './model.ts';

export interface MutexOp {
  acquire: boolean;
  unknown: boolean;
}

export const mutex: Model<boolean, MutexOp> = {
  name: 'mutex',
  summary: 'lock per key: acquire (when free), release (when held)',
  fs: ['acquire', 'release'],
  initial: false,
  initialFrom(v) {
    if (v === false || v === null || v === 'free') return false;
    if (v === true || v === 'held') return true;
    throw new Error(`a mutex's initial value must be false (free) or true (held), got ${JSON.stringify(v)}`);
  },
  partitionKey: (op) => op.key ?? null,
  prepare(op) {
    if (op.f !== 'acquire' && op.f !== 'release') throw new ModelInputError(`the mutex model has no "${op.f}" (it knows acquire, release)`, op);
    return { acquire: op.f === 'acquire', unknown: op.status === 'info' };
  },
  // An op of unknown outcome is legal anywhere: where it could not have succeeded it changed nothing.
  step: (s, p) => (p.acquire ? (!s ? true : p.unknown ? s : undefined) : s ? false : p.unknown ? s : undefined),
  readOnly: () => false,
  stateKey: (s) => s,
  opKey: (p) => `${p.acquire ? 'a' : 'r'}${p.unknown ? '?' : ''}`,
  describeOp: spellOperation,
  describeState: (s) => (s ? 'held' : 'free'),
};
