import { MAX_TIMER_MS, registerToxicKind } from '../toxic-kind.js';

/**
 * `timeout`: swallows all data; `timeout` ms after it starts it closes the connection (never,
 * when 0). Removing it closes the connection too.
 */
registerToxicKind({
  type: 'timeout',
  attributes: [{ name: 'timeout', unit: 'ms', min: 0, max: MAX_TIMER_MS }],
  createStage(ctx, attributes) {
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      ctx.end();
    };
    const ms = attributes.timeout ?? 0;
    let timer: NodeJS.Timeout | undefined = ms > 0 ? setTimeout(close, ms) : undefined;
    return {
      write: (chunk) => ctx.drop(chunk.length),
      end: close,
      interrupt: () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      },
      dispose: () => {
        closed = true;
        if (timer !== undefined) clearTimeout(timer);
      },
      removed: close,
    };
  },
});
