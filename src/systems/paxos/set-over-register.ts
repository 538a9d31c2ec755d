// A set of small integers kept in one register of the cluster as a bitmask (elements 0..52, so
// the mask stays a safe integer), for Jepsen's set workload on a store of integer registers.
// `read` reads the register and lists the bits set; `add e` reads, then compare-and-sets the
// mask with bit e on, retrying when another add changed it first. Each element is added by one
// op only, so finding its bit set after an attempt of unknown outcome means that attempt took
// effect: the add is then ok, never double-counted.
import type { ClientOp, ClientOptions, Completion, DedupIds } from './client.ts';
import { invokeHttp } from './client.ts';

export const SET_CAPACITY = 53;
const ATTEMPTS = 8;

const bit = (e: number) => 2 ** e;
const has = (mask: number, e: number) => Math.floor(mask / bit(e)) % 2 === 1;

export function decodeSet(mask: number): number[] {
  const out: number[] = [];
  for (let e = 0; e < SET_CAPACITY; e++) if (has(mask, e)) out.push(e);
  return out;
}

export async function invokeSetOverRegister(baseUrl: string, op: ClientOp, _ids: DedupIds | undefined, o: ClientOptions): Promise<Completion> {
  const read = async (): Promise<Completion> => {
    const c = await invokeHttp(baseUrl, { f: 'read', ...(op.key !== undefined ? { key: op.key } : {}), value: null }, undefined, o);
    return c.type === 'ok' ? { type: 'ok', value: typeof c.value === 'number' ? c.value : 0 } : c;
  };
  if (op.f === 'read') {
    const c = await read();
    return c.type === 'ok' ? { type: 'ok', value: decodeSet(c.value as number) } : { ...c, value: null };
  }
  if (op.f !== 'add') throw new Error(`a set over a register cannot invoke f=${op.f}`);
  const e = op.value as number;
  if (!Number.isInteger(e) || e < 0 || e >= SET_CAPACITY) throw new Error(`set elements are 0..${SET_CAPACITY - 1}, got ${String(op.value)}`);
  let uncertain: string | undefined;
  const giveUp = (why: string): Completion => (uncertain ? { type: 'info', value: e, error: `${uncertain}; then ${why}` } : { type: 'fail', value: e, error: why });
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const cur = await read();
    if (cur.type !== 'ok') return giveUp(`read ${cur.error ?? cur.type}`);
    const mask = cur.value as number;
    if (has(mask, e)) return { type: 'ok', value: e };
    const c = await invokeHttp(baseUrl, { f: 'cas', ...(op.key !== undefined ? { key: op.key } : {}), value: [mask, mask + bit(e)] }, undefined, o);
    if (c.type === 'ok') return { type: 'ok', value: e };
    if (c.type === 'info') uncertain = `cas ${c.error ?? 'unknown'}`;
    else if (c.error !== 'compare-failed') return giveUp(`cas ${c.error ?? 'failed'}`);
  }
  return giveUp(`still contended after ${ATTEMPTS} attempts`);
}
