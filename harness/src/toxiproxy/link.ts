import type { Socket } from 'node:net';
import type { ByteCounters } from './metrics.js';
import type { Toxic } from './toxic.js';
import { type ChainTarget, ToxicChain } from './toxic-chain.js';

/**
 * Most bytes a link holds inside its toxics before it stops reading its source. Together with
 * the destination socket's own high-water mark this bounds what a slow reader can make us buffer.
 */
export const MAX_HELD_BYTES = 1 << 20;

/**
 * Write buffer of proxied sockets before `write()` asks us to pause the reader. Larger than
 * Node's 16 KiB default so one 64 KiB read does not stop the reader every time.
 */
export const SOCKET_HIGH_WATER_MARK = 256 * 1024;

/** What a link tells its connection. */
export interface LinkEvents {
  /** The end of the stream reached the destination (which has been ended). */
  ended(link: Link): void;
  /** A toxic asked for a TCP reset. */
  reset(): void;
}

/**
 * One direction of a connection: reads chunks from `source`, runs them through the toxic chain
 * and writes them to `dest`, pausing the source while the destination or the chain is full.
 * With no toxics a chunk goes straight from the read callback to `dest.write` (no copy, no
 * queue). The link never closes sockets itself; its connection does.
 */
export class Link {
  private readonly chain: ToxicChain;
  private held = 0;
  private waitingForDrain = false;
  private inputEnded = false;
  private outputEnded = false;
  private disposed = false;

  constructor(
    readonly source: Socket,
    readonly dest: Socket,
    toxics: readonly Toxic[],
    private readonly counters: ByteCounters,
    private readonly events: LinkEvents,
  ) {
    const sink: ChainTarget = {
      write: (chunk) => {
        this.held -= chunk.length;
        this.writeOut(chunk);
        this.maybeResume();
      },
      end: () => this.endOutput(),
    };
    this.chain = new ToxicChain(toxics, sink, {
      drop: (bytes) => {
        this.held -= bytes;
        this.maybeResume();
      },
      reset: () => this.events.reset(),
    });
    source.on('data', this.onData);
    source.on('end', this.endInput);
    dest.on('drain', this.onDrain);
  }

  /** Starts a newly added toxic on this link. */
  addToxic(toxic: Toxic): void {
    if (!this.disposed) this.chain.add(toxic);
  }

  /** Restarts a toxic with new settings, releasing what it held. */
  updateToxic(toxic: Toxic): void {
    if (!this.disposed) this.chain.update(toxic);
  }

  /** Removes a toxic, releasing what it held. */
  removeToxic(name: string): void {
    if (!this.disposed) this.chain.remove(name);
  }

  /**
   * No more input will be read from the source (it ended, or the other direction closed it):
   * the end travels through the toxics to the destination.
   */
  endInput = (): void => {
    if (this.inputEnded || this.disposed) return;
    this.inputEnded = true;
    this.source.off('data', this.onData);
    this.chain.head.end();
  };

  /** Stops everything: listeners removed, timers cancelled; held data is dropped. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.source.off('data', this.onData);
    this.source.off('end', this.endInput);
    this.dest.off('drain', this.onDrain);
    this.chain.dispose();
  }

  private onData = (chunk: Buffer): void => {
    this.counters.received += chunk.length;
    if (this.chain.empty) {
      this.writeOut(chunk);
      return;
    }
    this.held += chunk.length;
    this.chain.head.write(chunk);
    if (this.held > MAX_HELD_BYTES && !this.disposed) this.source.pause();
  };

  private writeOut(chunk: Buffer): void {
    if (this.outputEnded || this.disposed) return;
    this.counters.sent += chunk.length;
    if (!this.dest.write(chunk) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      this.source.pause();
    }
  }

  private onDrain = (): void => {
    this.waitingForDrain = false;
    this.maybeResume();
  };

  private maybeResume(): void {
    if (this.disposed || this.waitingForDrain || this.held > MAX_HELD_BYTES) return;
    if (this.source.isPaused()) this.source.resume();
  }

  private endOutput(): void {
    if (this.outputEnded || this.disposed) return;
    this.outputEnded = true;
    this.dest.end();
    this.events.ended(this);
  }
}
