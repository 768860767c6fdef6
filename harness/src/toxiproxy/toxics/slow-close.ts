import { MAX_TIMER_MS, registerToxicKind } from '../toxic-kind.js';

/** `slow_close`: data passes unchanged; the end of the stream is held `delay` ms. */
registerToxicKind({
  type: 'slow_close',
  attributes: [{ name: 'delay', unit: 'ms', min: 0, max: MAX_TIMER_MS }],
  createStage(ctx, attributes) {
    let timer: NodeJS.Timeout | undefined;
    const cancel = (): void => {
      if (timer !== undefined) clearTimeout(timer);
    };
    return {
      write: (chunk) => ctx.emit(chunk),
      end: () => {
        timer = setTimeout(() => {
          timer = undefined;
          ctx.end();
        }, attributes.delay ?? 0);
      },
      interrupt: () => {
        if (timer === undefined) return;
        cancel();
        timer = undefined;
        ctx.end();
      },
      dispose: cancel,
    };
  },
});
