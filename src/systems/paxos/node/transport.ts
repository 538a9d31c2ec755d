// Peer-to-peer TCP between nodes. Each node SENDS only on connections it dialed and RECEIVES
// only on connections it accepted, so every TCP connection carries exactly one directed link
// (a→b). A fault proxy placed on the address a uses for b therefore controls a's messages to b
// and nothing else; partitions can be one-way.
//
// Delivery is best effort: while a link is down its messages are dropped (Paxos tolerates
// loss and retries on its own timers), and the dialer reconnects with capped backoff.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { NodeId } from '../types.ts';

/** What the transport carries: any JSON object with a type (the node decodes it, core/wire.ts). */
export type Frame = { type: string; [field: string]: unknown };
import { encodeFrame, FrameDecoder } from './frames.ts';

export interface PeerAddress {
  host: string;
  port: number;
}

export interface TransportOptions {
  id: NodeId;
  listen: PeerAddress;
  peers: ReadonlyMap<NodeId, PeerAddress>;
  onMessage: (from: NodeId, message: unknown) => void;
  log?: (line: string) => void;
  /** Reconnect delay bounds in ms (doubles after each failed attempt). */
  backoffMs?: [min: number, max: number];
  /** Drop outgoing messages while this many bytes are already queued (e.g. the peer is paused). */
  maxQueuedBytes?: number;
}

/** How long a connection must last before the link counts as up. */
const STABLE_MS = 1000;

interface Hello {
  type: 'hello';
  from: NodeId;
}

class Dialer {
  private socket: Socket | null = null;
  private connected = false;
  private outbox: Buffer[] = [];
  private outboxBytes = 0;
  private flushScheduled = false;
  private delay: number;
  private timer: NodeJS.Timeout | null = null;
  /** Set while a connection has stayed up for STABLE_MS: only then is the link "up". */
  private stable = false;
  private stableTimer: NodeJS.Timeout | null = null;
  /** We logged the link down (or never saw it up): log when it is up again. */
  private reportedDown = true;
  private closed = false;
  /** Messages dropped because the link was down or saturated. */
  dropped = 0;

  constructor(
    private readonly self: NodeId,
    private readonly peer: NodeId,
    private readonly address: PeerAddress,
    private readonly backoff: [number, number],
    private readonly maxQueuedBytes: number,
    private readonly log: (line: string) => void,
  ) {
    this.delay = backoff[0];
  }

  start(): void {
    this.dial();
  }

  private dial(): void {
    if (this.closed) return;
    const socket = connect({ host: this.address.host, port: this.address.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      // A fault proxy in front of a dead peer accepts and then closes at once: a connect alone
      // proves nothing, so the backoff resets (and the link counts as up) only once it lasts.
      this.stableTimer = setTimeout(() => {
        this.stable = true;
        this.delay = this.backoff[0];
        if (this.reportedDown) this.log(`peer link to ${this.peer} up (${this.address.host}:${this.address.port})`);
        this.reportedDown = false;
      }, STABLE_MS);
      const hello: Hello = { type: 'hello', from: this.self };
      socket.write(encodeFrame(hello));
    });
    // Nothing is expected back on a dialed connection; reading keeps the socket flowing.
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => {
      const wasConnected = this.connected;
      this.connected = false;
      this.outbox = [];
      this.outboxBytes = 0;
      if (this.socket === socket) this.socket = null;
      if (this.stableTimer) clearTimeout(this.stableTimer);
      this.stableTimer = null;
      const wasStable = wasConnected && this.stable;
      this.stable = false;
      if (this.closed) return;
      if (wasStable) {
        this.log(`peer link to ${this.peer} down`);
        this.reportedDown = true;
        this.delay = this.backoff[0];
      }
      this.timer = setTimeout(() => this.dial(), this.delay);
      this.delay = Math.min(this.backoff[1], this.delay * 2);
    });
  }

  send(message: Frame, frame?: Buffer): void {
    const socket = this.socket;
    if (!socket || !this.connected || socket.writableLength + this.outboxBytes > this.maxQueuedBytes) {
      this.dropped++;
      return;
    }
    // Coalesce everything sent until the event loop has handled all pending I/O: the outputs of
    // many steps (each incoming message is one) leave in one write, one syscall.
    frame ??= encodeFrame(message);
    this.outbox.push(frame);
    this.outboxBytes += frame.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const socket = this.socket;
    if (this.outbox.length === 0 || !socket || !this.connected) return;
    const data = this.outbox.length === 1 ? this.outbox[0]! : Buffer.concat(this.outbox, this.outboxBytes);
    this.outbox = [];
    this.outboxBytes = 0;
    socket.write(data);
  }

  get isConnected(): boolean {
    return this.connected;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.socket?.destroy();
  }
}

export class PeerTransport {
  private server: Server | null = null;
  private readonly dialers = new Map<NodeId, Dialer>();
  private readonly accepted = new Set<Socket>();
  private readonly log: (line: string) => void;

  constructor(private readonly options: TransportOptions) {
    this.log = options.log ?? (() => {});
    const backoff = options.backoffMs ?? [20, 250];
    const maxQueued = options.maxQueuedBytes ?? 8 * 1024 * 1024;
    for (const [peer, address] of options.peers) {
      if (peer === options.id) continue;
      this.dialers.set(peer, new Dialer(options.id, peer, address, backoff, maxQueued, this.log));
    }
  }

  /** Listen for peers, then start dialing them. Rejects if the port cannot be bound. */
  async start(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.options.listen.host, port: this.options.listen.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    for (const d of this.dialers.values()) d.start();
  }

  private accept(socket: Socket): void {
    this.accepted.add(socket);
    socket.setNoDelay(true);
    const decoder = new FrameDecoder();
    let from: NodeId | null = null;
    socket.on('data', (chunk: Buffer) => {
      let frames: unknown[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        this.log(`dropping peer connection${from ? ` from ${from}` : ''}: ${(err as Error).message}`);
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        if (from === null) {
          const hello = frame as Partial<Hello>;
          if (hello?.type !== 'hello' || typeof hello.from !== 'string' || !this.dialers.has(hello.from)) {
            this.log(`dropping peer connection: bad hello ${JSON.stringify(frame).slice(0, 100)}`);
            socket.destroy();
            return;
          }
          from = hello.from;
          continue;
        }
        this.options.onMessage(from, frame);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.accepted.delete(socket));
  }

  /** `frame` may carry the message already encoded (a broadcast encodes once for all peers). */
  send(to: NodeId, message: Frame, frame?: Buffer): void {
    this.dialers.get(to)?.send(message, frame);
  }

  /** Peers this node currently has an outgoing link to. */
  connectedPeers(): NodeId[] {
    return [...this.dialers].filter(([, d]) => d.isConnected).map(([id]) => id);
  }

  droppedMessages(): number {
    let n = 0;
    for (const d of this.dialers.values()) n += d.dropped;
    return n;
  }

  async close(): Promise<void> {
    for (const d of this.dialers.values()) d.close();
    for (const s of this.accepted) s.destroy();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
