import { registerToxicKind } from '../toxic-kind.js';

/** Bytes let through so far on one direction of one connection; survives updates. */
interface LimitState {
  transmitted: number;
}

/**
 * `limit_data`: lets `bytes` bytes through per connection and direction (cutting the chunk that
 * crosses the limit), then closes the connection.
 */
registerToxicKind({
  type: 'limit_data',
  attributes: [{ name: 'bytes', unit: 'bytes', min: 0, max: Number.MAX_SAFE_INTEGER }],
  newState: (): LimitState => ({ transmitted: 0 }),
  createStage(ctx, attributes, state) {
    const count = state as LimitState;
    const limit = attributes.bytes ?? 0;
    let done = false;
    return {
      write: (chunk) => {
        if (done) {
          ctx.drop(chunk.length);
          return;
        }
        const remaining = Math.max(0, limit - count.transmitted);
        const pass = remaining < chunk.length ? chunk.subarray(0, remaining) : chunk;
        if (pass.length < chunk.length) ctx.drop(chunk.length - pass.length);
        if (pass.length > 0) {
          count.transmitted += pass.length;
          ctx.emit(pass);
        }
        if (count.transmitted >= limit) {
          done = true;
          ctx.end();
        }
      },
      end: () => {
        if (!done) ctx.end();
        done = true;
      },
      interrupt: () => {},
      dispose: () => {
        done = true;
      },
    };
  },
});
