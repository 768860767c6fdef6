import { request } from 'node:http';
import { readStatus, type StatusReading } from './status.js';
import type { StatusSpec } from './types.js';

/** One raw HTTP GET: status code and body, or the transport error as text. Never throws. */
export function httpGet(url: string, timeoutMs: number): Promise<{ code: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url} took more than ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ error: e.message }));
    req.end();
  });
}

/**
 * `GET baseUrl + spec.path` read through the subject's map (readStatus). Never throws: a
 * refused or slow connection is `{ok: false}` with the reason too.
 */
export async function fetchStatus(spec: StatusSpec, baseUrl: string, timeoutMs = 1000): Promise<StatusReading> {
  const got = await httpGet(`${baseUrl}${spec.path}`, timeoutMs);
  if ('error' in got) return { ok: false, error: `${spec.path}: ${got.error}` };
  return readStatus(spec, got.code, got.body);
}

/**
 * The named readiness wait: `GET baseUrl + path` every `intervalMs` until it answers 200.
 * Resolves when it does; rejects with the last answer or error once `deadline` (epoch ms,
 * from `now`) passes, or as soon as `stopped()` gives a reason (the process exited).
 */
export async function waitReady(options: {
  baseUrl: string;
  path: string;
  deadline: number;
  intervalMs?: number;
  stopped?: () => string | null;
  now?: () => number;
}): Promise<void> {
  const now = options.now ?? Date.now;
  let last = 'no answer yet';
  for (;;) {
    const reason = options.stopped?.() ?? null;
    if (reason !== null) throw new Error(reason);
    const remaining = options.deadline - now();
    if (remaining <= 0) throw new Error(`${options.baseUrl}${options.path} not ready: ${last}`);
    const clipped = remaining < 1000;
    const got = await httpGet(`${options.baseUrl}${options.path}`, Math.min(1000, remaining));
    if (!('error' in got) && got.code === 200) return;
    // A last try cut short by the deadline says less than the answer before it.
    if (!(clipped && 'error' in got && last !== 'no answer yet')) last = 'error' in got ? got.error : `answered ${got.code}`;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 25));
  }
}
