import { passThroughStage, type StageContext, type ToxicStage } from './stage.js';
import type { Toxic } from './toxic.js';

/** Where a stage's output goes: the next stage, or the link's writer at the end. */
export interface ChainTarget {
  write(chunk: Buffer): void;
  end(): void;
}

/** What the chain needs from its link besides the sink. */
export interface ChainHooks {
  /** Bytes swallowed inside the chain (for back-pressure accounting). */
  drop(bytes: number): void;
  /** Reset the connection (TCP RST). */
  reset(): void;
}

class Slot implements ChainTarget {
  stage: ToxicStage;
  inputEnded = false;
  endEmitted = false;
  dead = false;
  readonly ctx: StageContext;

  constructor(
    public toxic: Toxic,
    public next: ChainTarget,
    readonly state: unknown,
    private readonly hooks: ChainHooks,
  ) {
    this.ctx = {
      emit: (chunk) => (this.dead ? hooks.drop(chunk.length) : this.next.write(chunk)),
      end: () => {
        if (this.dead) return;
        this.endEmitted = true;
        this.next.end();
      },
      drop: (bytes) => hooks.drop(bytes),
      reset: () => {
        if (!this.dead) hooks.reset();
      },
    };
    this.stage = this.start();
  }

  /** Starts the toxic's stage, active with probability `toxicity`. */
  start(): ToxicStage {
    const active = this.toxic.toxicity >= 1 || Math.random() < this.toxic.toxicity;
    return active
      ? this.toxic.kind.createStage(this.ctx, this.toxic.attributes, this.state)
      : passThroughStage(this.ctx);
  }

  write(chunk: Buffer): void {
    if (this.inputEnded || this.dead) this.hooks.drop(chunk.length);
    else this.stage.write(chunk);
  }

  end(): void {
    if (this.inputEnded || this.dead) return;
    this.inputEnded = true;
    this.stage.end();
  }
}

/**
 * The toxics of one direction of one connection, run in insertion order between the link's
 * reader (`head`) and its writer (the sink). Toxics can be added, updated and removed while data
 * flows: held data is released to the next stage, never dropped (except what the toxic itself
 * swallows, and `timeout`, whose removal closes the connection).
 */
export class ToxicChain {
  private readonly slots: Slot[] = [];

  constructor(
    toxics: readonly Toxic[],
    private readonly sink: ChainTarget,
    private readonly hooks: ChainHooks,
  ) {
    for (const toxic of toxics) this.add(toxic);
  }

  /** Where the link's reader writes: the first stage, or the sink when there are no toxics. */
  get head(): ChainTarget {
    return this.slots[0] ?? this.sink;
  }

  /** True when there are no toxics (the reader writes straight to the sink). */
  get empty(): boolean {
    return this.slots.length === 0;
  }

  /** Appends a toxic at the end of the chain. */
  add(toxic: Toxic): void {
    const slot = new Slot(toxic, this.sink, toxic.kind.newState?.(), this.hooks);
    const last = this.slots.at(-1);
    if (last) last.next = slot;
    this.slots.push(slot);
  }

  /** Restarts the named toxic with new settings; what it held goes on to the next stage first. */
  update(toxic: Toxic): void {
    const slot = this.slots.find((s) => s.toxic.name === toxic.name);
    if (!slot) return;
    slot.stage.interrupt();
    slot.toxic = toxic;
    slot.stage = slot.start();
    // A held end released by interrupt() already went on; the new stage must not see another.
  }

  /** Removes the named toxic; what it held goes on to the next stage. */
  remove(name: string): void {
    const index = this.slots.findIndex((s) => s.toxic.name === name);
    if (index < 0) return;
    const slot = this.slots[index]!;
    slot.stage.interrupt();
    slot.stage.removed?.();
    const endLost = slot.inputEnded && !slot.endEmitted;
    slot.dead = true;
    this.slots.splice(index, 1);
    const prev = this.slots[index - 1];
    if (prev) prev.next = slot.next;
    // An end that reached the removed stage but was never passed on must not be lost.
    if (endLost) slot.next.end();
  }

  /** Stops every stage: timers cancelled, nothing more is emitted. */
  dispose(): void {
    for (const slot of this.slots) {
      slot.dead = true;
      slot.stage.dispose();
    }
  }
}
