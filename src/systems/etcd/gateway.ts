// etcd's v3 API through its JSON gateway (HTTP POST of JSON on the client port, keys and values
// base64): the few calls tenrec's etcd client and DB need. Plain fetch, no client library: the
// gateway is etcd's own, documented, stable surface, and a gRPC stack would be heavier than
// everything else here together.
export interface KeyValue {
  value: string;
  modRevision: string;
}

export interface GatewayResult<T> {
  /** The answer, when etcd gave one. */
  ok?: T;
  /** Why not: `refused` (nothing was sent), `timeout`, or etcd's own error text. */
  error?: string;
  refused?: boolean;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined) => (s === undefined ? '' : Buffer.from(s, 'base64').toString('utf8'));

/** The failure of one call, as the failure of another. */
function failed<T>(r: GatewayResult<unknown>): GatewayResult<T> {
  return { ...(r.error !== undefined ? { error: r.error } : {}), ...(r.refused ? { refused: true } : {}) };
}

export async function call<T>(url: string, path: string, body: unknown, timeoutMs: number): Promise<GatewayResult<T>> {
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs), headers: { 'content-type': 'application/json' } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return { error: 'connection-refused', refused: true };
    if ((err as Error).name === 'TimeoutError') return { error: 'timeout' };
    return { error: cause?.code ?? (err as Error).message };
  }
  let json: Record<string, unknown>;
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    return { error: `bad-response-${res.status}` };
  }
  if (res.status !== 200) return { error: typeof json.error === 'string' ? json.error : typeof json.message === 'string' ? json.message : `http-${res.status}` };
  return { ok: json as T };
}

interface RangeResponse {
  kvs?: { value?: string; mod_revision?: string }[];
}

/** The key's value and mod revision ("0" for a key never written). */
export async function range(url: string, key: string, serializable: boolean, timeoutMs: number): Promise<GatewayResult<KeyValue | undefined>> {
  const r = await call<RangeResponse>(url, '/v3/kv/range', { key: b64(key), ...(serializable ? { serializable: true } : {}) }, timeoutMs);
  if (!r.ok) return failed(r);
  const kv = r.ok.kvs?.[0];
  return { ok: kv ? { value: unb64(kv.value), modRevision: kv.mod_revision ?? '0' } : undefined };
}

export async function put(url: string, key: string, value: string, timeoutMs: number): Promise<GatewayResult<unknown>> {
  return call(url, '/v3/kv/put', { key: b64(key), value: b64(value) }, timeoutMs);
}

interface TxnResponse {
  succeeded?: boolean;
  responses?: { response_txn?: { succeeded?: boolean } }[];
}

/** Puts `value` if the key's mod revision is still `modRevision` ("0": the key does not exist). */
export async function putIfUnchanged(url: string, key: string, modRevision: string, value: string, timeoutMs: number): Promise<GatewayResult<boolean>> {
  const compare = [{ key: b64(key), target: 'MOD', result: 'EQUAL', mod_revision: modRevision }];
  const r = await call<TxnResponse>(url, '/v3/kv/txn', { compare, success: [{ request_put: { key: b64(key), value: b64(value) } }] }, timeoutMs);
  return r.ok ? { ok: r.ok.succeeded === true } : failed(r);
}

/**
 * Puts `next` if the value is `expected`, where a key never written counts as "0" (as a register
 * starts at 0): one transaction, the missing-key case in its failure branch.
 */
export async function compareAndPut(url: string, key: string, expected: string, next: string, timeoutMs: number): Promise<GatewayResult<boolean>> {
  const k = b64(key);
  const putNext = { request_put: { key: k, value: b64(next) } };
  const byValue = { compare: [{ key: k, target: 'VALUE', result: 'EQUAL', value: b64(expected) }], success: [putNext] };
  const body =
    expected === '0'
      ? { compare: [{ key: k, target: 'CREATE', result: 'EQUAL', create_revision: '0' }], success: [putNext], failure: [{ request_txn: byValue }] }
      : byValue;
  const r = await call<TxnResponse>(url, '/v3/kv/txn', body, timeoutMs);
  if (!r.ok) return failed(r);
  return { ok: r.ok.succeeded === true || r.ok.responses?.[0]?.response_txn?.succeeded === true };
}

export interface MemberStatus {
  memberId: string;
  leader: string;
}

export async function status(url: string, timeoutMs: number): Promise<MemberStatus | undefined> {
  const r = await call<{ header?: { member_id?: string }; leader?: string }>(url, '/v3/maintenance/status', {}, timeoutMs);
  if (!r.ok?.header?.member_id) return undefined;
  return { memberId: r.ok.header.member_id, leader: r.ok.leader ?? '0' };
}
