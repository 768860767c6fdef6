/**
 * What a toxic stage may do to the link it sits in. A stage receives chunks and the end of the
 * stream in order from the stage before it and hands them on (or not) through this context.
 */
export interface StageContext {
  /** Hands a chunk (or a slice of one) to the next stage. Never call after `end()`. */
  emit(chunk: Buffer): void;
  /** Hands on the end of the stream; everything emitted before it arrives first. Call once. */
  end(): void;
  /** Reports `bytes` this stage swallowed and will never emit, so back-pressure stays exact. */
  drop(bytes: number): void;
  /** Resets the whole connection (TCP RST on both sockets) now. */
  reset(): void;
}

/**
 * One toxic running on one direction of one connection. Implementations must keep order, must
 * not call the context after `dispose()`, and must release (not drop) held data on `interrupt()`.
 */
export interface ToxicStage {
  /** A chunk read from the source, after the stages before this one. */
  write(chunk: Buffer): void;
  /** The end of the stream; no more writes follow. */
  end(): void;
  /**
   * The toxic is being updated or removed: emit everything held, in order (including a held
   * end), cancel timers, and stop. Nothing may be emitted afterwards.
   */
  interrupt(): void;
  /** The connection is gone: cancel timers, emit nothing more. */
  dispose(): void;
  /** Optional extra effect when the toxic is removed, after `interrupt()` (timeout closes). */
  removed?(): void;
}

/** A stage that passes everything through untouched (also what an inactive toxic runs). */
export function passThroughStage(ctx: StageContext): ToxicStage {
  return {
    write: (chunk) => ctx.emit(chunk),
    end: () => ctx.end(),
    interrupt: () => {},
    dispose: () => {},
  };
}
