// The fault-injecting TCP proxy the runner owns. Nodes dial a peer only to send to it, so giving
// each directed link a→b its own listener (a dials the proxy, the proxy dials b) lets the nemesis
// break exactly a's messages to b without root or iptables.
//
// A link can be
//   - blackholed: bytes are discarded both ways and new connections are accepted but never forwarded,
//     so senders see hanging connections, as with an iptables DROP. Because discarding mid-stream
//     breaks the peers' framing, connections that lost bytes are reset when the link heals, and the
//     nodes reconnect with clean streams.
//   - delayed: every chunk is forwarded after a fixed delay (order kept).
//   - cut: existing connections are reset and new ones are reset on accept until healed.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP server on 127.0.0.1 at a port the kernel picks; resolves once it listens. */
export async function listenLoopback(onConnection: (socket: net.Socket) => void): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Opens the proxied connection's upstream to 127.0.0.1:`port` (or, with no port known yet,
 * closes the client): what flows back goes to `down`, and either end closing drops both.
 */
export function dialUpstream(
  conn: { client: net.Socket; upstream?: net.Socket },
  port: number | undefined,
  down: (chunk: Buffer) => void,
  drop: () => void,
): void {
  if (port === undefined) {
    conn.client.destroy();
    return;
  }
  const upstream = net.connect(port, '127.0.0.1');
  conn.upstream = upstream;
  upstream.setNoDelay(true);
  upstream.on('error', () => {});
  upstream.on('close', drop);
  upstream.on('data', down);
}

interface Conn {
  client: net.Socket;
  upstream?: net.Socket;
  /** Bytes were discarded: the stream is no longer framed right, reset it on heal. */
  tainted: boolean;
}

export interface LinkState {
  blackhole: boolean;
  cut: boolean;
  delayMs: number;
}

export class LinkProxy {
  private server?: net.Server;
  private readonly conns = new Set<Conn>();
  readonly state: LinkState = { blackhole: false, cut: false, delayMs: 0 };
  port = 0;
  /** Bytes forwarded and discarded, for tests and the report. */
  forwarded = 0;
  dropped = 0;

  constructor(
    readonly from: string,
    readonly to: string,
    /** The real peer port of `to`, once known (resolved on each new connection). */
    private readonly target: () => number | undefined,
  ) {}

  async listen(): Promise<number> {
    const { server, port } = await listenLoopback((client) => this.accept(client));
    this.server = server;
    this.port = port;
    return port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.conns.size;
  }

  private accept(client: net.Socket): void {
    client.on('error', () => {});
    if (this.state.cut) {
      client.resetAndDestroy();
      return;
    }
    const conn: Conn = { client, tainted: false };
    this.conns.add(conn);
    client.on('close', () => this.drop(conn));
    client.on('data', (chunk: Buffer) => this.forward(conn, chunk, 'up'));
    if (this.state.blackhole) {
      // Like a dropped SYN: the connection hangs; it is reset on heal so the node redials.
      conn.tainted = true;
      return;
    }
    this.dial(conn);
  }

  private dial(conn: Conn): void {
    dialUpstream(conn, this.target(), (chunk) => this.forward(conn, chunk, 'down'), () => this.drop(conn));
  }

  private forward(conn: Conn, chunk: Buffer, dir: 'up' | 'down'): void {
    if (this.state.blackhole || (dir === 'up' && !conn.upstream)) {
      conn.tainted = true;
      this.dropped += chunk.length;
      return;
    }
    const out = dir === 'up' ? conn.upstream! : conn.client;
    const write = () => {
      if (!out.destroyed) {
        this.forwarded += chunk.length;
        out.write(chunk);
      }
    };
    if (this.state.delayMs > 0) setTimeout(write, this.state.delayMs);
    else write();
  }

  private drop(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    conn.client.destroy();
    conn.upstream?.destroy();
  }

  private resetAll(onlyTainted: boolean): void {
    for (const conn of [...this.conns]) {
      if (onlyTainted && !conn.tainted) continue;
      this.conns.delete(conn);
      conn.client.resetAndDestroy();
      conn.upstream?.resetAndDestroy();
    }
  }

  setBlackhole(on: boolean): void {
    this.state.blackhole = on;
    if (!on) this.resetAll(true);
  }

  setDelay(ms: number): void {
    this.state.delayMs = Math.max(0, ms);
  }

  cut(): void {
    this.state.cut = true;
    this.resetAll(false);
  }

  heal(): void {
    this.state.cut = false;
    this.state.delayMs = 0;
    this.setBlackhole(false);
  }

  get faulty(): boolean {
    return this.state.blackhole || this.state.cut || this.state.delayMs > 0;
  }

  async close(): Promise<void> {
    this.resetAll(false);
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** One proxy per directed link between every pair of nodes. */
export class ProxyNet {
  private constructor(private readonly links: Map<string, LinkProxy>) {}

  static async create(ids: readonly string[], targetPort: (id: string) => number | undefined): Promise<ProxyNet> {
    const links = new Map<string, LinkProxy>();
    try {
      for (const from of ids)
        for (const to of ids) {
          if (from === to) continue;
          const link = new LinkProxy(from, to, () => targetPort(to));
          links.set(`${from}>${to}`, link);
          await link.listen();
        }
    } catch (err) {
      await Promise.all([...links.values()].map((l) => l.close()));
      throw err;
    }
    return new ProxyNet(links);
  }

  link(from: string, to: string): LinkProxy {
    const l = this.links.get(`${from}>${to}`);
    if (!l) throw new Error(`no proxy link ${from}→${to}`);
    return l;
  }

  /** The address node `from` must dial to reach `to`. */
  address(from: string, to: string): string {
    return this.link(from, to).address;
  }

  all(): LinkProxy[] {
    return [...this.links.values()];
  }

  /** Blackholes every link `from`→`to` for which `drops(from, to)` holds. */
  blackhole(drops: (from: string, to: string) => boolean): void {
    for (const l of this.links.values()) if (drops(l.from, l.to)) l.setBlackhole(true);
  }

  healAll(): void {
    for (const l of this.links.values()) l.heal();
  }

  async close(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.close()));
  }
}
