import { registerToxicKind } from '../toxic-kind.js';
import { TimedQueue } from './timed-queue.js';

/**
 * `bandwidth`: caps throughput at `rate` KB/s (1 KB = 1000 bytes). A chunk of n bytes leaves
 * n/rate ms after the previous one; chunks worth more than 100 ms are split so the stream stays
 * smooth. Rate 0 holds everything until the toxic is updated or removed.
 */
registerToxicKind({
  type: 'bandwidth',
  attributes: [{ name: 'rate', unit: 'KB/s', min: 0, max: 1e9 }],
  createStage(ctx, attributes) {
    const rate = attributes.rate ?? 0; // KB/s = bytes per ms
    const queue = new TimedQueue(ctx);
    const piece = Math.max(1, rate * 100);
    let nextAt = 0;
    return {
      write: (chunk) => {
        if (rate === 0) {
          queue.push(chunk, Infinity);
          return;
        }
        for (let offset = 0; offset < chunk.length; offset += piece) {
          const part = offset === 0 && chunk.length <= piece ? chunk : chunk.subarray(offset, offset + piece);
          nextAt = Math.max(performance.now(), nextAt) + part.length / rate;
          queue.push(part, nextAt);
        }
      },
      end: () => queue.end(),
      interrupt: () => queue.flush(),
      dispose: () => queue.dispose(),
    };
  },
});
