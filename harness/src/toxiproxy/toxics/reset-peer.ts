import { MAX_TIMER_MS, registerToxicKind } from '../toxic-kind.js';

/**
 * `reset_peer`: on the first chunk (or the end of the stream) waits `timeout` ms, then resets the
 * connection with a TCP RST on both sockets. Data reaching it is swallowed.
 */
registerToxicKind({
  type: 'reset_peer',
  attributes: [{ name: 'timeout', unit: 'ms', min: 0, max: MAX_TIMER_MS }],
  createStage(ctx, attributes) {
    let timer: NodeJS.Timeout | undefined;
    let sawEnd = false;
    const arm = (): void => {
      if (timer === undefined) timer = setTimeout(() => ctx.reset(), attributes.timeout ?? 0);
    };
    return {
      write: (chunk) => {
        ctx.drop(chunk.length);
        arm();
      },
      end: () => {
        sawEnd = true;
        arm();
      },
      interrupt: () => {
        if (timer !== undefined) clearTimeout(timer);
        if (sawEnd) ctx.end();
      },
      dispose: () => {
        if (timer !== undefined) clearTimeout(timer);
      },
    };
  },
});
