import { describe, it, expect, afterEach } from 'vitest';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { LinkProxy, ProxyNet } from '../../src/net/proxy.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A peer that records what it receives and answers "ack" to each chunk. */
async function peer() {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('data', (d) => {
      received.push(d.toString());
      s.write('ack');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  }));
  return { port: (server.address() as AddressInfo).port, received };
}

async function dial(port: number) {
  const s = net.connect(port, '127.0.0.1');
  const events: string[] = [];
  s.on('data', (d) => events.push(`data:${d}`));
  s.on('error', (e: NodeJS.ErrnoException) => events.push(`error:${e.code}`));
  s.on('close', () => events.push('close'));
  cleanups.push(() => void s.destroy());
  await new Promise<void>((r, j) => { s.once('connect', () => r()); s.once('error', j); });
  return { s, events };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('fault-injecting proxy', () => {
  it('forwards, blackholes (connection hangs, bytes dropped both ways), and heals with a reset', async () => {
    const p = await peer();
    const link = new LinkProxy('n1', 'n2', () => p.port);
    await link.listen();
    cleanups.push(() => link.close());
    const c = await dial(link.port);
    c.s.write('one');
    await until(() => p.received.join('') === 'one' && c.events.includes('data:ack'));

    link.setBlackhole(true);
    c.s.write('two');
    await sleep(200);
    expect(p.received.join('')).toBe('one');
    expect(c.events).not.toContain('close'); // hanging, not closed
    const late = await dial(link.port); // new connections are accepted but go nowhere
    late.s.write('three');
    await sleep(150);
    expect(p.received.join('')).toBe('one');
    expect(link.dropped).toBeGreaterThan(0);

    link.heal();
    // Streams that lost bytes are reset so the peers' framing restarts clean.
    await until(() => c.events.includes('close') && late.events.includes('close'));
    const fresh = await dial(link.port);
    fresh.s.write('four');
    await until(() => p.received.join('') === 'onefour');
  });

  it('cut resets existing and new connections until healed; delay holds bytes back', async () => {
    const p = await peer();
    const link = new LinkProxy('n2', 'n1', () => p.port);
    await link.listen();
    cleanups.push(() => link.close());
    const c = await dial(link.port);
    c.s.write('x');
    await until(() => p.received.length === 1);
    link.cut();
    await until(() => c.events.includes('close'));
    expect(c.events.some((e) => e.startsWith('error:ECONNRESET'))).toBe(true);
    const again = net.connect(link.port, '127.0.0.1');
    cleanups.push(() => void again.destroy());
    const err = await new Promise<string>((r) => {
      again.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error'));
      again.on('close', () => r('close'));
    });
    expect(['ECONNRESET', 'close']).toContain(err);

    link.heal();
    link.setDelay(250);
    const d = await dial(link.port);
    const t0 = Date.now();
    d.s.write('slow');
    await until(() => p.received.includes('slow'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
  });

  it('ProxyNet gives one listener per directed link and blackholes by predicate', async () => {
    const ports: Record<string, number> = {};
    for (const id of ['n1', 'n2', 'n3']) ports[id] = (await peer()).port;
    const pn = await ProxyNet.create(['n1', 'n2', 'n3'], (id) => ports[id]);
    cleanups.push(() => pn.close());
    expect(pn.all().length).toBe(6);
    expect(new Set(pn.all().map((l) => l.port)).size).toBe(6);
    pn.blackhole((from, to) => from === 'n1' || to === 'n1');
    expect(pn.all().filter((l) => l.faulty).map((l) => `${l.from}>${l.to}`).sort()).toEqual(['n1>n2', 'n1>n3', 'n2>n1', 'n3>n1']);
    pn.healAll();
    expect(pn.all().some((l) => l.faulty)).toBe(false);
  });
});
