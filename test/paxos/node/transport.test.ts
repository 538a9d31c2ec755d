import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerTransport } from '../../../src/systems/paxos/node/transport.ts';
import { freePorts } from '../../../src/net/free-port.ts';
import type { Frame } from '../../../src/systems/paxos/node/transport.ts';

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

function until(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => (cond() ? resolve() : Date.now() > deadline ? reject(new Error('condition not met in time')) : setTimeout(poll, 5));
    poll();
  });
}

/** A byte-counting TCP relay standing in for a fault proxy on one directed link. */
async function relay(listenPort: number, targetPort: number): Promise<{ server: Server; bytes: () => number; close(): Promise<void> }> {
  let bytes = 0;
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(inbound).add(outbound);
    inbound.on('data', (d: Buffer) => (bytes += d.length));
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
  });
  await new Promise<void>((r) => server.listen(listenPort, '127.0.0.1', r));
  return {
    server,
    bytes: () => bytes,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

describe('peer transport', () => {
  it('sends only on dialed connections: a relay on the address a uses for b carries exactly a→b', async () => {
    const [pa, pb, pRelay] = await freePorts(3);
    const got: { at: string; from: string; m: Frame }[] = [];
    const a = new PeerTransport({
      id: 'a',
      listen: { host: '127.0.0.1', port: pa! },
      peers: new Map([['b', { host: '127.0.0.1', port: pRelay! }]]),
      onMessage: (from, m) => got.push({ at: 'a', from, m: m as Frame }),
    });
    const b = new PeerTransport({
      id: 'b',
      listen: { host: '127.0.0.1', port: pb! },
      peers: new Map([['a', { host: '127.0.0.1', port: pa! }]]),
      onMessage: (from, m) => got.push({ at: 'b', from, m: m as Frame }),
    });
    const r = await relay(pRelay!, pb!);
    open.push(a, b, r);
    await a.start();
    await b.start();
    await until(() => a.connectedPeers().includes('b') && b.connectedPeers().includes('a'));
    await until(() => r.bytes() > 0); // a's hello has crossed the relay
    const before = r.bytes();
    b.send('a', { type: 'pong', n: 1 });
    await until(() => got.length === 1);
    expect(r.bytes()).toBe(before); // b→a does not cross the a→b relay
    for (let i = 0; i < 100; i++) a.send('b', { type: 'ping', n: i });
    await until(() => got.length === 101);
    expect(r.bytes()).toBeGreaterThan(before);
    expect(got[0]).toEqual({ at: 'a', from: 'b', m: { type: 'pong', n: 1 } });
    expect(got.slice(1).map((g) => [g.at, g.from, g.m.n])).toEqual(Array.from({ length: 100 }, (_, i) => ['b', 'a', i]));
  });

  it('drops messages while the peer is down and reconnects when it comes back', async () => {
    const [pa, pb] = await freePorts(2);
    const got: Frame[] = [];
    const a = new PeerTransport({
      id: 'a',
      listen: { host: '127.0.0.1', port: pa! },
      peers: new Map([['b', { host: '127.0.0.1', port: pb! }]]),
      onMessage: () => {},
      backoffMs: [10, 50],
    });
    open.push(a);
    await a.start();
    a.send('b', { type: 'lost' });
    expect(a.droppedMessages()).toBe(1);
    const b = new PeerTransport({
      id: 'b',
      listen: { host: '127.0.0.1', port: pb! },
      peers: new Map([['a', { host: '127.0.0.1', port: pa! }]]),
      onMessage: (_from, m) => got.push(m as Frame),
    });
    open.push(b);
    await b.start();
    await until(() => a.connectedPeers().includes('b'));
    a.send('b', { type: 'found' });
    await until(() => got.length === 1);
    expect(got).toEqual([{ type: 'found' }]);
  });

  it('closes a connection that does not introduce itself as a member', async () => {
    const [pb] = await freePorts(1);
    const got: Frame[] = [];
    const b = new PeerTransport({ id: 'b', listen: { host: '127.0.0.1', port: pb! }, peers: new Map([['a', { host: '127.0.0.1', port: 1 }]]), onMessage: (_f, m) => got.push(m as Frame) });
    open.push(b);
    await b.start();
    const s = connect({ host: '127.0.0.1', port: pb! });
    const frame = Buffer.from(JSON.stringify({ type: 'hello', from: 'mallory' }));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(frame.length);
    s.write(Buffer.concat([len, frame]));
    await new Promise<void>((r) => s.on('close', () => r()));
    expect(got).toEqual([]);
  });
});
