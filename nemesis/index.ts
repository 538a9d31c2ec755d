export * from './fault.ts';
export * from './schedule.ts';
export * from './partition.ts';
export { ProxyNet, LinkProxy } from '../src/net/proxy.ts';
