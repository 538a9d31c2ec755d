import { describe, expect, it } from 'vitest';
import { NodeArgsError, parseBugs, parseHostPort, parseMembers, parsePeers, parseRange } from '../../../src/systems/paxos/node/node-args.ts';

describe('tenrec node flag parsing', () => {
  it('parses members, peers (possibly proxy addresses) and bugs', () => {
    const members = parseMembers('n1,n2,n3', 'n1');
    expect(members).toEqual(['n1', 'n2', 'n3']);
    const peers = parsePeers(['n2=127.0.0.1:4101', 'n3=localhost:5000'], members, 'n1');
    expect([...peers]).toEqual([
      ['n2', { host: '127.0.0.1', port: 4101 }],
      ['n3', { host: 'localhost', port: 5000 }],
    ]);
    expect([...parseBugs(['local-read', 'no-dedup'])]).toEqual(['local-read', 'no-dedup']);
    expect(parseRange('150,300', '--election-timeout-ms')).toEqual([150, 300]);
  });

  it('takes a spare outside the members, with peers for the whole pool', () => {
    const members = parseMembers('n1,n2,n3', 'n4', true);
    expect(members).toEqual(['n1', 'n2', 'n3']);
    expect([...parsePeers(['n1=127.0.0.1:1', 'n2=127.0.0.1:2', 'n3=127.0.0.1:3', 'n5=127.0.0.1:5'], members, 'n4').keys()]).toEqual(['n1', 'n2', 'n3', 'n5']);
  });

  it('names the flag and the problem on bad input', () => {
    expect(() => parseMembers('n2,n3', 'n1')).toThrow(/must include this node's --id n1/);
    expect(() => parseMembers('n1,n1', 'n1')).toThrow(/twice/);
    expect(() => parsePeers(['n2=127.0.0.1:4101'], ['n1', 'n2', 'n3'], 'n1')).toThrow(/no --peer address for n3/);
    expect(() => parsePeers(['n1=127.0.0.1:1', 'n2=127.0.0.1:2'], ['n1', 'n2'], 'n1')).toThrow(/this node's own --id/);
    expect(() => parsePeers(['n2=127.0.0.1:1', 'n2=127.0.0.1:2'], ['n1', 'n2'], 'n1')).toThrow(/given twice/);
    expect(() => parseMembers('', 'n1', true)).toThrow(/lists no node/);
    expect(() => parsePeers(['n2'], ['n1', 'n2'], 'n1')).toThrow(/expected NODE=host:port/);
    expect(() => parseHostPort('127.0.0.1:99999', '--peer n2')).toThrow(NodeArgsError);
    expect(() => parseBugs(['nope'])).toThrow(/unknown --bug nope \(known: local-read/);
    expect(() => parseRange('300,150', '--election-timeout-ms')).toThrow(/MIN,MAX/);
  });
});
