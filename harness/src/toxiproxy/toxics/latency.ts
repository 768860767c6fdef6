import { MAX_TIMER_MS, registerToxicKind } from '../toxic-kind.js';
import { TimedQueue } from './timed-queue.js';

/**
 * `latency`: each chunk is held `latency ± U(jitter)` ms after it reached this toxic, pipelined
 * (chunks wait concurrently) and in order. Interrupting releases held chunks at once.
 */
registerToxicKind({
  type: 'latency',
  attributes: [
    { name: 'latency', unit: 'ms', min: 0, max: MAX_TIMER_MS },
    { name: 'jitter', unit: 'ms', min: 0, max: MAX_TIMER_MS },
  ],
  createStage(ctx, attributes) {
    const latency = attributes.latency ?? 0;
    const jitter = attributes.jitter ?? 0;
    const queue = new TimedQueue(ctx);
    const delay = (): number =>
      jitter > 0 ? Math.max(0, latency + Math.floor(Math.random() * (2 * jitter + 1)) - jitter) : latency;
    return {
      write: (chunk) => {
        const d = delay();
        if (d === 0 && queue.empty) ctx.emit(chunk);
        else queue.push(chunk, performance.now() + d);
      },
      end: () => (queue.empty ? ctx.end() : queue.end()),
      interrupt: () => queue.flush(),
      dispose: () => queue.dispose(),
    };
  },
});
