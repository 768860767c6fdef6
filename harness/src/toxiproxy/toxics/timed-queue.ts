import type { StageContext } from '../stage.js';

const END = null;

/**
 * An ordered queue of chunks, each released to the context at a given time
 * (`performance.now()` milliseconds), never before the one queued ahead of it. `Infinity`
 * holds an item until `flush()`. The building block of latency, bandwidth and slicer.
 */
export class TimedQueue {
  private readonly items: Array<Buffer | null> = [];
  private readonly times: number[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly ctx: StageContext) {}

  /** True when nothing is held. */
  get empty(): boolean {
    return this.head === this.items.length;
  }

  /** Queues a chunk to be emitted at `at`; emits at once when due and nothing is ahead of it. */
  push(chunk: Buffer, at: number): void {
    this.enqueue(chunk, at);
  }

  /** Queues the end of the stream, released right after everything ahead of it. */
  end(at = 0): void {
    this.enqueue(END, at);
  }

  /** Emits everything held at once, in order, and stops. */
  flush(): void {
    this.cancel();
    this.stopped = true;
    this.release(Infinity);
  }

  /** Drops everything held and stops. */
  dispose(): void {
    this.cancel();
    this.stopped = true;
    this.items.length = 0;
    this.times.length = 0;
    this.head = 0;
  }

  private enqueue(item: Buffer | null, at: number): void {
    if (this.stopped) return;
    this.items.push(item);
    this.times.push(at);
    if (this.timer === undefined) this.pump();
  }

  private pump = (): void => {
    this.timer = undefined;
    this.release(performance.now());
    if (this.stopped || this.empty) return;
    const next = this.times[this.head]!;
    if (next === Infinity) return;
    // ceil: a timer may fire up to a millisecond early against performance.now().
    this.timer = setTimeout(this.pump, Math.max(1, Math.ceil(next - performance.now())));
  };

  private release(now: number): void {
    while (this.head < this.items.length && this.times[this.head]! <= now) {
      const item = this.items[this.head]!;
      this.items[this.head] = null;
      this.head += 1;
      if (item === END) this.ctx.end();
      else this.ctx.emit(item);
      if (this.stopped && now !== Infinity) return;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
