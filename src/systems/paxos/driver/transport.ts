// What the Ready pipeline needs of the network: somewhere to hand the messages and replies it
// releases. The node sends them over TCP and HTTP (node/transport.ts, node/http-api.ts); the
// simulator over its fake network (sim/network.ts). Together with a Disk (disk.ts) this is all
// the I/O the shared driver does.
import type { Ready } from '../types.ts';

export interface Outputs {
  messages: Ready['messages'];
  replies: Ready['replies'];
}

export interface Transport {
  deliver(outputs: Outputs): void;
}
