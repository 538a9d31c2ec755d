// tenrec's etcd client: register ops and increments over the v3 JSON gateway.
//   read   linearizable range (etcd's default; `serializable-reads` asks for serializable,
//          which a member answers from its own state: stale by design)
//   write  put
//   cas    one transaction comparing the value (a never-written key counts as 0)
//   inc    range, then a transaction on the mod revision it saw, retried on conflict
// Outcomes: a read that went wrong is `fail` (a read changes nothing, so dropping it is always
// safe); a refused connection is `fail` (nothing was sent); a transaction that did not succeed
// is `fail` (etcd applied nothing); everything else that went wrong is `info`.
import type { Client, ClientFactory, ClientOp, Completion, DbNode } from '../../system/system.ts';
import { compareAndPut, put, putIfUnchanged, range } from './gateway.ts';

/** Attempts of an increment whose transaction lost a race. */
const INC_ATTEMPTS = 10;

const num = (v: string | undefined): number => (v === undefined || v === '' ? 0 : Number(v));

export function etcdClients(o: { serializableReads: boolean }): ClientFactory {
  return { open: (node) => etcdClient(node, o.serializableReads) };
}

function etcdClient(node: DbNode, serializable: boolean): Client {
  const key = (op: ClientOp) => op.key ?? 'default';
  return {
    async invoke(op, ctx): Promise<Completion> {
      const t = ctx.timeoutMs;
      switch (op.f) {
        case 'read': {
          const r = await range(node.url, key(op), serializable, t);
          if (r.error) return { type: 'fail', value: null, error: r.error };
          return { type: 'ok', value: num(r.ok?.value) };
        }
        case 'write': {
          const r = await put(node.url, key(op), String(op.value), t);
          if (r.error) return { type: r.refused ? 'fail' : 'info', value: op.value, error: r.error };
          return { type: 'ok', value: op.value };
        }
        case 'cas': {
          const [a, b] = op.value as [number, number];
          const r = await compareAndPut(node.url, key(op), String(a), String(b), t);
          if (r.error) return { type: r.refused ? 'fail' : 'info', value: op.value, error: r.error };
          return r.ok ? { type: 'ok', value: op.value } : { type: 'fail', value: op.value, error: 'compare-failed' };
        }
        case 'inc': {
          const delta = typeof op.value === 'number' ? op.value : 1;
          for (let attempt = 0; attempt < INC_ATTEMPTS; attempt++) {
            const cur = await range(node.url, key(op), false, t);
            // Nothing written yet: a failed read is a definite failure of the whole increment.
            if (cur.error) return { type: 'fail', value: op.value, error: `read: ${cur.error}` };
            const next = num(cur.ok?.value) + delta;
            const w = await putIfUnchanged(node.url, key(op), cur.ok?.modRevision ?? '0', String(next), t);
            if (w.error) return { type: w.refused ? 'fail' : 'info', value: op.value, error: w.error };
            if (w.ok) return { type: 'ok', value: next };
          }
          return { type: 'fail', value: op.value, error: `conflict ${INC_ATTEMPTS} times` };
        }
      }
      throw new Error(`the etcd client cannot ${op.f}`);
    },
    close() {},
  };
}
