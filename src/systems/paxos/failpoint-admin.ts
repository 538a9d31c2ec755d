// Arming a node's failpoints through its admin API (docs/cluster-api.md), with the cluster's
// ownership token: the same requests whether the node runs here or on a remote host.
import type { FailpointAction } from '../../system/db.ts';

function admin(url: string, token: string, method: string, body?: string): Promise<Response> {
  return fetch(`${url}/admin/failpoints`, { method, ...(body ? { body } : {}), headers: { 'tenrec-token': token, 'content-type': 'application/json' }, signal: AbortSignal.timeout(2000) });
}

export async function armFailpoint(url: string, token: string, point: string, action: FailpointAction): Promise<void> {
  const r = await admin(url, token, 'POST', JSON.stringify({ point, ...action }));
  if (!r.ok) throw new Error(`arming failpoint ${point} at ${url}: HTTP ${r.status} ${await r.text()}`);
  await r.body?.cancel();
}

export async function disarmFailpoints(url: string, token: string): Promise<void> {
  const r = await admin(url, token, 'DELETE');
  await r.body?.cancel();
}
