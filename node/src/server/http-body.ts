import type { IncomingMessage } from 'node:http';

/** Largest request body accepted (node/API.md). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Why a body could not be read: too large (413) or not JSON (400). */
export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413; error: string };

/** Reads a JSON request body of at most `limit` bytes. Never throws. */
export function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return resolve({ ok: false, status: 413, error: `body over ${limit} bytes` });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        resolve({ ok: false, status: 413, error: `body over ${limit} bytes` });
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch {
        resolve({ ok: false, status: 400, error: 'body is not valid JSON' });
      }
    });
    req.on('error', () => {
      if (done) return;
      done = true;
      resolve({ ok: false, status: 400, error: 'body could not be read' });
    });
  });
}
