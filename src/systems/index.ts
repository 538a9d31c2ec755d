// The systems tenrec ships, by `--db` name. Any other system is a module (`--db ./system.ts`,
// src/system/load-system.ts).
import type { System } from '../system/system.ts';
import { paxosSystem } from './paxos/system.ts';
import { etcdSystem } from './etcd/system.ts';

export const BUILTIN_SYSTEMS: Readonly<Record<string, System>> = {
  paxos: paxosSystem,
  etcd: etcdSystem,
};
