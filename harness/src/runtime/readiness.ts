import { request } from 'node:http';

/** One answer to a readiness probe. */
export interface HttpAnswer {
  status: number;
  body: string;
}

/** What a readiness probe makes of an answer: ready (with what it learned), or a sentence why not yet. */
export type Readiness<T> = { ready: T } | { notYet: string };

/** A named readiness wait (see `waitUntilReady`). */
export interface ReadinessWait<T> {
  /** The URL to GET, e.g. `http://127.0.0.1:7001/status`. */
  url: string;
  /** Epoch ms after which the wait fails. */
  deadline: number;
  /** Pause between probes (default 25 ms). */
  intervalMs?: number;
  /** Whether an answer means ready. */
  accept(answer: HttpAnswer): Readiness<T>;
  /**
   * Why waiting is pointless now (the process exited, the container stopped), or null. Asked
   * before a probe every `stoppedEvery` probes (default every one) and at the deadline.
   */
  stopped?(): string | null | Promise<string | null>;
  stoppedEvery?: number;
  /** The error when `stopped` gave a reason (default `Error(reason)`). */
  stoppedError?(reason: string): Error | Promise<Error>;
  /** The error when the deadline passed; `last` says what the last probe got (default `Error("not ready: <last>")`). */
  timeoutError?(last: string): Error | Promise<Error>;
}

/**
 * The one readiness wait of every testbed (a node process, a node container, a Toxiproxy
 * container): GET `url` every `intervalMs` until `accept` says ready, and resolve with what it
 * learned. A refused, slow or unwelcome answer is never an error before the deadline; the wait
 * fails only when `stopped` gives a reason or the deadline passes.
 */
export async function waitUntilReady<T>(wait: ReadinessWait<T>): Promise<T> {
  const every = Math.max(1, wait.stoppedEvery ?? 1);
  let last = 'no answer yet';
  for (let probe = 0; ; probe++) {
    const remaining = wait.deadline - Date.now();
    if (wait.stopped && (probe % every === 0 || remaining <= 0)) {
      const reason = await wait.stopped();
      if (reason !== null) throw await (wait.stoppedError?.(reason) ?? new Error(reason));
    }
    if (remaining <= 0) throw await (wait.timeoutError?.(last) ?? new Error(`not ready: ${last}`));
    const probeMs = Math.min(1000, remaining);
    try {
      const verdict = wait.accept(await httpGet(wait.url, probeMs));
      if ('ready' in verdict) return verdict.ready;
      last = verdict.notYet;
    } catch (error) {
      // A probe cut short by the deadline says less than the one before it.
      const cutShort = probeMs < 1000 && error instanceof ProbeTimeout;
      if (!cutShort || last === 'no answer yet') last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, wait.intervalMs ?? 25));
  }
}

/** What `/status` said once the node answered. */
export interface ReadyStatus {
  id: string;
  pid: number;
  bootId: string;
}

/**
 * A node's `/status` probe: ready when it answers 200 with this node's `id` (and `pid`, when
 * the caller knows it). For `waitUntilReady({ url: `${base}/status`, accept: statusOf(...) })`.
 */
export function statusOf(expected: { id: string; pid?: number }): (answer: HttpAnswer) => Readiness<ReadyStatus> {
  return ({ status, body }) => {
    if (status !== 200) return { notYet: `/status answered ${status}` };
    let s: ReadyStatus;
    try {
      s = JSON.parse(body) as ReadyStatus;
    } catch {
      return { notYet: '/status answered something other than JSON' };
    }
    if (s.id === expected.id && (expected.pid === undefined || s.pid === expected.pid)) return { ready: s };
    const want = expected.pid === undefined ? expected.id : `${expected.id} pid ${expected.pid}`;
    return { notYet: `/status answered id ${s.id} pid ${s.pid}, expected ${want}` };
  };
}

/** A probe that got no answer within its time. */
class ProbeTimeout extends Error {}

/**
 * One GET on a fresh connection (no keep-alive pool), with a deadline. Plain node:http rather
 * than fetch: a fetch whose only timer is AbortSignal.timeout (unref'd) can leave the event loop
 * with nothing holding it while the engine's port proxy keeps a connection half-open.
 */
export function httpGet(url: string, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => req.destroy(new ProbeTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}
