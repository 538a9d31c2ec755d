// Validation of `tenrec node` flags into NodeOptions pieces, with messages that name the flag.
import { BUG_NAMES, ELECTION_POLICIES, type BugName, type ElectionPolicy, type NodeId } from '../types.ts';
import type { PeerAddress } from './transport.ts';

export class NodeArgsError extends Error {}

export function parseHostPort(text: string, what: string): PeerAddress {
  const m = /^(.+):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new NodeArgsError(`${what}: expected host:port, got "${text}"`);
  return { host: m[1]!, port };
}

/**
 * The initial voters. A node outside them is a spare: it starts as a non-voter and votes only
 * once the cluster adds it (tenrec cluster add), so the list is the same on every node.
 */
export function parseMembers(text: string, id: NodeId, spareOk = false): NodeId[] {
  const members = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (new Set(members).size !== members.length) throw new NodeArgsError(`--members lists a node twice: ${text}`);
  if (members.length === 0) throw new NodeArgsError('--members lists no node');
  if (!members.includes(id) && !spareOk) throw new NodeArgsError(`--members (${text}) must include this node's --id ${id} (or give --spare: it joins later)`);
  return members;
}

/**
 * `--peer n2=127.0.0.1:4101` for every other member, and for every other node that may join
 * (the cluster's pool): the log decides who votes, these flags only where each one listens.
 */
export function parsePeers(specs: readonly string[], members: readonly NodeId[], id: NodeId): Map<NodeId, PeerAddress> {
  const peers = new Map<NodeId, PeerAddress>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new NodeArgsError(`--peer: expected NODE=host:port, got "${spec}"`);
    const peer = spec.slice(0, eq);
    if (peer === id) throw new NodeArgsError(`--peer ${spec}: that is this node's own --id`);
    if (peers.has(peer)) throw new NodeArgsError(`--peer ${peer} is given twice`);
    peers.set(peer, parseHostPort(spec.slice(eq + 1), `--peer ${peer}`));
  }
  const missing = members.filter((m) => m !== id && !peers.has(m));
  if (missing.length > 0) throw new NodeArgsError(`no --peer address for ${missing.join(', ')}`);
  return peers;
}

export function parseBugs(names: readonly string[]): Set<BugName> {
  const bugs = new Set<BugName>();
  for (const n of names) {
    if (!(BUG_NAMES as readonly string[]).includes(n)) {
      throw new NodeArgsError(`unknown --bug ${n} (known: ${BUG_NAMES.join(', ')})`);
    }
    bugs.add(n as BugName);
  }
  return bugs;
}

export function parseElection(text: string): ElectionPolicy {
  if (!(ELECTION_POLICIES as readonly string[]).includes(text)) throw new NodeArgsError(`--election must be ${ELECTION_POLICIES.join(' or ')}, got "${text}"`);
  return text as ElectionPolicy;
}

export function parseRange(text: string, what: string): [number, number] {
  const parts = text.split(',').map(Number);
  if (parts.length !== 2 || !parts.every((p) => Number.isInteger(p) && p > 0) || parts[0]! > parts[1]!) {
    throw new NodeArgsError(`${what}: expected MIN,MAX in ms, got "${text}"`);
  }
  return [parts[0]!, parts[1]!];
}
