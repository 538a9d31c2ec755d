// One proxy in front of each member's peer port, for systems whose members must all agree on one
// advertised peer address per member (etcd's --initial-cluster), so a proxy per directed link
// (proxy.ts) does not fit. etcd's robustness tests do the same; to still cut any pair of
// members, the proxy tells senders apart by the header etcd's peer transport puts on every
// request (`X-Server-From: <member id in hex>`), read from the first bytes of each connection.
//
// A cut is per pair: etcd streams a peer's messages back over connections the other member
// opened, so one connection carries both directions, and a pair is cut when either direction is
// dropped. tenrec's partition shapes are all symmetric, so for them this is exact.
import net from 'node:net';
import type { NetFaults } from '../system/db.ts';
import { dialUpstream, listenLoopback } from './proxy.ts';

/** Headers larger than this are not looked into: the sender stays unknown. */
const SNIFF_LIMIT = 16 * 1024;

interface Conn {
  client: net.Socket;
  upstream?: net.Socket;
  /** The sender's id from X-Server-From (names are learned later, so resolved when needed). */
  fromId?: string;
  /** Bytes were discarded: reset the connection on heal, so both sides redial clean. */
  tainted: boolean;
  blocked: boolean;
}

class MemberProxy {
  private server?: net.Server;
  readonly conns = new Set<Conn>();
  port = 0;

  constructor(
    readonly member: string,
    private readonly target: () => number | undefined,
    private readonly senderOf: (header: string) => string | undefined,
    private readonly isCut: (a: string, b: string) => boolean,
  ) {}

  async listen(): Promise<number> {
    const { server, port } = await listenLoopback((c) => this.accept(c));
    this.server = server;
    this.port = port;
    return port;
  }

  private accept(client: net.Socket): void {
    client.on('error', () => {});
    const conn: Conn = { client, tainted: false, blocked: false };
    this.conns.add(conn);
    client.on('close', () => this.drop(conn));
    let head: Buffer[] = [];
    let size = 0;
    let decided = false;
    client.on('data', (chunk: Buffer) => {
      if (decided) return this.forward(conn, chunk, 'up');
      head.push(chunk);
      size += chunk.length;
      const text = Buffer.concat(head).toString('latin1');
      const ended = text.includes('\r\n\r\n') || size > SNIFF_LIMIT;
      if (!ended) return;
      decided = true;
      const m = /\r\nx-server-from:\s*([0-9a-f]+)\s*\r\n/i.exec(text);
      if (m) conn.fromId = m[1]!.toLowerCase();
      const buffered = Buffer.concat(head);
      head = [];
      this.dial(conn);
      this.forward(conn, buffered, 'up');
    });
  }

  /** Whether this connection's pair is cut now. */
  private cut(conn: Conn): boolean {
    const from = this.from(conn);
    return from !== undefined && this.isCut(from, this.member);
  }

  from(conn: Conn): string | undefined {
    return conn.fromId === undefined ? undefined : this.senderOf(conn.fromId);
  }

  private dial(conn: Conn): void {
    dialUpstream(conn, this.target(), (chunk) => this.forward(conn, chunk, 'down'), () => this.drop(conn));
  }

  private forward(conn: Conn, chunk: Buffer, dir: 'up' | 'down'): void {
    if (conn.blocked || this.cut(conn)) {
      conn.blocked = true;
      conn.tainted = true;
      return;
    }
    const out = dir === 'up' ? conn.upstream : conn.client;
    if (out && !out.destroyed) out.write(chunk);
  }

  /** Re-decides every connection after the cuts changed. */
  refresh(): void {
    for (const conn of [...this.conns]) {
      const cut = this.cut(conn);
      if (cut) {
        conn.blocked = true;
        conn.tainted = true;
      } else if (conn.tainted) {
        this.conns.delete(conn);
        conn.client.resetAndDestroy();
        conn.upstream?.resetAndDestroy();
      }
    }
  }

  private drop(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    conn.client.destroy();
    conn.upstream?.destroy();
  }

  async close(): Promise<void> {
    for (const c of [...this.conns]) this.drop(c);
    const s = this.server;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

/** The proxies of a cluster, and the nemesis's handle on them. */
export class MemberProxyNet implements NetFaults {
  private readonly proxies = new Map<string, MemberProxy>();
  /** Sender ids (lower-case hex, as etcd writes them) to member names. */
  private readonly senders = new Map<string, string>();
  private drops: ((from: string, to: string) => boolean) | undefined;

  private constructor() {}

  /** A proxy per member; `target(id)` is the member's real peer port. */
  static async create(ids: readonly string[], target: (id: string) => number | undefined): Promise<MemberProxyNet> {
    const net = new MemberProxyNet();
    const isCut = (a: string, b: string) => net.drops !== undefined && (net.drops(a, b) || net.drops(b, a));
    try {
      for (const id of ids) {
        const p = new MemberProxy(id, () => target(id), (h) => net.senders.get(h), isCut);
        net.proxies.set(id, p);
        await p.listen();
      }
    } catch (err) {
      await net.close();
      throw err;
    }
    return net;
  }

  /** Where peers must dial member `id` (its advertised peer address). */
  port(id: string): number {
    const p = this.proxies.get(id);
    if (!p) throw new Error(`no proxy for ${id}`);
    return p.port;
  }

  /** Teaches the proxies who is who: `senderId` as the member puts it in X-Server-From. */
  learn(senderId: string, member: string): void {
    this.senders.set(senderId.toLowerCase(), member);
  }

  /** Connections whose sender is known, per proxy: for tests. */
  identified(): number {
    let n = 0;
    for (const p of this.proxies.values()) for (const c of p.conns) if (p.from(c) !== undefined) n++;
    return n;
  }

  blackhole(drops: (from: string, to: string) => boolean): void {
    this.drops = drops;
    for (const p of this.proxies.values()) p.refresh();
  }

  heal(): void {
    this.drops = undefined;
    for (const p of this.proxies.values()) p.refresh();
  }

  async close(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
  }
}
