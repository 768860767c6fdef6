import { registerToxicKind } from '../toxic-kind.js';
import { TimedQueue } from './timed-queue.js';

/**
 * Cuts `length` bytes into piece sizes of `average ± U(variation)` (each at least 1 byte);
 * exported for its test.
 */
export function slicePieces(length: number, average: number, variation: number, random = Math.random): number[] {
  const pieces: number[] = [];
  let left = length;
  while (left > 0) {
    const size = average + (variation > 0 ? Math.floor(random() * (2 * variation + 1)) - variation : 0);
    const take = Math.min(left, Math.max(1, size));
    pieces.push(take);
    left -= take;
  }
  return pieces;
}

/**
 * `slicer`: splits each chunk into pieces around `average_size` bytes (± `size_variation`) and
 * waits `delay` µs before each piece. Pieces are views of the chunk, not copies.
 */
registerToxicKind({
  type: 'slicer',
  attributes: [
    { name: 'average_size', unit: 'bytes', min: 1, max: 1 << 30 },
    { name: 'size_variation', unit: 'bytes', min: 0, max: 1 << 30 },
    { name: 'delay', unit: 'µs', min: 0, max: 2_147_483_647 },
  ],
  check: (a) =>
    (a.size_variation ?? 0) >= (a.average_size ?? 0)
      ? `size_variation must be smaller than average_size (${a.size_variation} >= ${a.average_size})`
      : undefined,
  createStage(ctx, attributes) {
    const average = attributes.average_size ?? 1;
    const variation = attributes.size_variation ?? 0;
    const delayMs = (attributes.delay ?? 0) / 1000;
    const queue = new TimedQueue(ctx);
    let nextAt = 0;
    return {
      write: (chunk) => {
        let offset = 0;
        for (const size of slicePieces(chunk.length, average, variation)) {
          const piece = chunk.subarray(offset, offset + size);
          offset += size;
          if (delayMs === 0 && queue.empty) ctx.emit(piece);
          else {
            nextAt = Math.max(performance.now(), nextAt) + delayMs;
            queue.push(piece, nextAt);
          }
        }
      },
      end: () => (queue.empty ? ctx.end() : queue.end()),
      interrupt: () => queue.flush(),
      dispose: () => queue.dispose(),
    };
  },
});
