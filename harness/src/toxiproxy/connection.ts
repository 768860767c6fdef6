import { connect, type Socket } from 'node:net';
import { splitHostPort } from './address.js';
import { Link, SOCKET_HIGH_WATER_MARK } from './link.js';
import type { ByteCounters } from './metrics.js';
import type { Stream, Toxic } from './toxic.js';

/** How long a gracefully closing socket may take to flush before it is destroyed. */
const FLUSH_GRACE_MS = 5_000;

/** What a connection needs from its proxy when it starts. */
export interface ConnectionSetup {
  readonly client: Socket;
  readonly upstream: string;
  readonly toxics: (stream: Stream) => readonly Toxic[];
  readonly counters: (stream: Stream) => ByteCounters;
  /** Called once, when both sockets are gone. */
  readonly closed: (connection: Connection) => void;
}

/**
 * One accepted client and its upstream socket, joined by two links (upstream = client→server,
 * downstream = server→client). It dials the upstream when created; if that fails the client is
 * closed at once. When one direction's end reaches its destination the other direction is ended
 * too, so both sockets close, as in Toxiproxy.
 */
export class Connection {
  private upstreamSocket: Socket | undefined;
  private readonly links = new Map<Stream, Link>();
  private state: 'dialling' | 'open' | 'closing' | 'flushing' | 'closed' = 'dialling';

  constructor(private readonly setup: ConnectionSetup) {
    const { client } = setup;
    client.setNoDelay(true);
    client.on('error', this.onSocketGone);
    client.on('close', this.onSocketGone);
    const target = splitHostPort(setup.upstream);
    if (typeof target === 'string') {
      this.closeGracefully();
      return;
    }
    // writableHighWaterMark is passed on to the Duplex constructor (not in @types/node's options).
    const options = { host: target.host, port: target.port, allowHalfOpen: true, noDelay: true };
    const upstream = connect({ ...options, writableHighWaterMark: SOCKET_HIGH_WATER_MARK } as typeof options);
    this.upstreamSocket = upstream;
    upstream.on('error', this.onSocketGone);
    upstream.on('close', this.onSocketGone);
    upstream.once('connect', () => this.open(upstream));
  }

  /** Starts a new toxic on the matching direction. */
  addToxic(toxic: Toxic): void {
    this.links.get(toxic.stream)?.addToxic(toxic);
  }

  /** Restarts a toxic with new settings on the matching direction. */
  updateToxic(toxic: Toxic): void {
    this.links.get(toxic.stream)?.updateToxic(toxic);
  }

  /** Removes a toxic from the matching direction. */
  removeToxic(toxic: Toxic): void {
    this.links.get(toxic.stream)?.removeToxic(toxic.name);
  }

  /** Closes both sockets at once (no flushing, no further data in either direction). */
  destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const link of this.links.values()) link.dispose();
    this.setup.client.destroy();
    this.upstreamSocket?.destroy();
    this.setup.closed(this);
  }

  /** Resets both sockets (TCP RST) and forgets them. */
  reset(): void {
    if (this.state === 'closed') return;
    for (const link of this.links.values()) link.dispose();
    for (const socket of [this.setup.client, this.upstreamSocket]) {
      if (socket && !socket.destroyed) socket.resetAndDestroy();
    }
    this.destroy();
  }

  private open(upstream: Socket): void {
    if (this.state !== 'dialling') {
      upstream.destroy();
      return;
    }
    this.state = 'open';
    const { client } = this.setup;
    const events = {
      ended: (link: Link) => this.linkEnded(link),
      reset: () => this.reset(),
    };
    for (const [stream, source, dest] of [
      ['upstream', client, upstream],
      ['downstream', upstream, client],
    ] as const) {
      this.links.set(stream, new Link(source, dest, this.setup.toxics(stream), this.setup.counters(stream), events));
    }
    client.resume();
  }

  /** A socket failed or closed on its own: the whole connection goes (unless already flushing). */
  private onSocketGone = (): void => {
    if (this.state === 'dialling') this.closeGracefully();
    else if (this.state !== 'flushing') this.destroy();
  };

  private linkEnded(link: Link): void {
    // The destination of `link` is closed for us: the other direction reads nothing more from it.
    for (const other of this.links.values()) if (other !== link) other.endInput();
    if (this.state === 'open') this.state = 'closing';
    const allEnded = [...this.links.values()].every((l) => l.dest.writableEnded);
    if (allEnded) this.closeGracefully();
  }

  /** Ends both sockets, lets them flush what they were given, then destroys them. */
  private closeGracefully(): void {
    if (this.state === 'closed' || this.state === 'flushing') return;
    this.state = 'flushing';
    const sockets = [this.setup.client, this.upstreamSocket].filter((s): s is Socket => s !== undefined);
    const timer = setTimeout(() => this.destroy(), FLUSH_GRACE_MS);
    timer.unref();
    let open = sockets.length;
    const gone = (): void => {
      open -= 1;
      if (open > 0) return;
      clearTimeout(timer);
      this.destroy();
    };
    for (const socket of sockets) {
      if (socket.destroyed) {
        gone();
        continue;
      }
      socket.once('close', gone);
      socket.once('finish', () => socket.destroy());
      if (!socket.writableEnded) socket.end();
      else if (socket.writableFinished) socket.destroy();
    }
  }
}
