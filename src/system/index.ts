// `import … from 'tenrec/system'`: everything a system module needs: the interfaces
// (system.ts, db.ts, client.ts) and helpers for nodes that are local processes.
export type * from './system.ts';
export { LocalNodes, type NodeCommand } from './local-nodes.ts';
export { freePorts, freePort } from '../net/free-port.ts';
export { ProxyNet } from '../net/proxy.ts';
// …and for nodes on remote hosts (--hosts): one node per host, over SSH.
export { HostRun, type HostRunOptions } from '../remote/host-run.ts';
export type { HostSet } from '../remote/hosts-file.ts';
export type { Remote } from '../remote/remote.ts';
