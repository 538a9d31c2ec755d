// Clients of the Paxos cluster: one HTTP request per op (client.ts), sharing one keep-alive
// agent per run; the set workload goes through a bitmask register (set-over-register.ts).
import type { ClientFactory } from '../../system/client.ts';
import { createAgent, invokeHttp } from './client.ts';
import { invokeSetOverRegister } from './set-over-register.ts';

export function paxosClients(): ClientFactory {
  const agent = createAgent();
  return {
    open(node, workload) {
      const invoke = workload === 'set' ? invokeSetOverRegister : invokeHttp;
      return {
        invoke: (op, ctx) => invoke(node.url, op, ctx.ids, { timeoutMs: ctx.timeoutMs, agent }),
        close() {},
      };
    },
    close: () => agent.destroy(),
  };
}
