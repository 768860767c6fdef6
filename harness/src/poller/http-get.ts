import { request, type Agent } from 'node:http';
import type { PollOutcome } from '../history/types.js';

/** How one GET ended: `ok` with the parsed JSON body, or why not. Never thrown. */
export type GetResult =
  | { outcome: 'ok'; body: unknown; latencyMs: number }
  | { outcome: Exclude<PollOutcome, 'ok'>; error: string; latencyMs: number };

class Deadline extends Error {}

/**
 * GET `url` and parse its JSON body, with a total deadline of `timeoutMs` (connect, send, read).
 * Outcomes: `refused` (ECONNREFUSED), `timeout` (deadline passed and nothing had arrived by
 * then; the socket is destroyed),
 * `error` (anything else: reset, non-200, bad JSON). With `raw`, every answer is `ok` with
 * `{code, text}` (the body unparsed). Resolves, never rejects.
 */
export function getJson(url: string, options: { agent: Agent; timeoutMs: number; raw?: boolean }): Promise<GetResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: { outcome: 'ok'; body: unknown } | { outcome: Exclude<PollOutcome, 'ok'>; error: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: performance.now() - started } as GetResult);
    };
    const req = request(url, { agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        // raw: any answer is `ok` with `{code, text}`, for a subject's status map to read.
        if (options.raw) return finish({ outcome: 'ok', body: { code: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') } });
        if (res.statusCode !== 200) return finish({ outcome: 'error', error: `HTTP ${res.statusCode}` });
        try {
          finish({ outcome: 'ok', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch {
          finish({ outcome: 'error', error: 'body is not JSON' });
        }
      });
      res.on('error', (e) => fail(e));
    });
    const fail = (e: Error): void => {
      if (e instanceof Deadline) return finish({ outcome: 'timeout', error: e.message });
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED') return finish({ outcome: 'refused', error: 'ECONNREFUSED' });
      finish({ outcome: 'error', error: code ?? e.message });
    };
    // When the deadline fires, let I/O that already arrived be read first (setImmediate runs
    // after the poll phase): a harness event loop that stalled must not turn answers into timeouts.
    const timer = setTimeout(
      () => setImmediate(() => req.destroy(new Deadline(`no answer within ${options.timeoutMs} ms`))),
      options.timeoutMs,
    );
    req.on('error', fail);
    req.end();
  });
}
