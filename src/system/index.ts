// `import … from 'tenrec/system'`: everything a system module needs: the interfaces
// (system.ts, db.ts, client.ts) and helpers for nodes that are local processes.
export type * from './system.ts';
export { LocalNodes, type NodeCommand } from './local-nodes.ts';
export { freePorts, freePort } from '../net/free-port.ts';
export { ProxyNet } from '../net/proxy.ts';
