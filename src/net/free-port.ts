// Free TCP ports on 127.0.0.1 for node processes.
//
// Ports come from BELOW the kernel's ephemeral range, picked at random and checked by binding.
// A killed node must get its ports back when it restarts; an ephemeral port (what `listen(0)`
// and every outgoing connection use) can be taken meanwhile as the source port of any
// connection on the machine, so the restart would fail. Random picks also keep test files that
// run in parallel from choosing the same ports.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

const FALLBACK_RANGE: [number, number] = [20_000, 32_767];

/** [low, high] of the ports we hand out: from 10000 up to just below the ephemeral range. */
export function portRange(): [number, number] {
  try {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (ephemeralLow !== undefined && ephemeralLow > 12_000) return [10_000, ephemeralLow - 1];
  } catch {
    /* not Linux: use the default */
  }
  return FALLBACK_RANGE;
}

function listen(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(null));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** `count` distinct ports that were free a moment ago (all are held together while checking). */
export async function freePorts(count: number): Promise<number[]> {
  const [low, high] = portRange();
  const held: Server[] = [];
  const ports: number[] = [];
  try {
    for (let tries = 0; ports.length < count; tries++) {
      if (tries > 1000) throw new Error(`could not find ${count} free ports in ${low}-${high}`);
      const port = low + Math.floor(Math.random() * (high - low + 1));
      if (ports.includes(port)) continue;
      const server = await listen(port);
      if (!server) continue;
      held.push(server);
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(held.map(close));
  }
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}
