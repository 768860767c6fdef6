import { request } from 'node:http';

/** What `/status` said once the node answered. */
export interface ReadyStatus {
  id: string;
  pid: number;
  bootId: string;
}

/**
 * The named wait for a node's readiness: `GET /status` on `url` until it answers 200 with this
 * node's `id` and `pid`, every `intervalMs`. Resolves with the status; rejects with the reason
 * when `deadline` (epoch ms) passes, or as soon as `stopped()` returns a reason (the process
 * exited). Never throws for a refused or slow answer before that.
 */
export async function waitForStatus(options: {
  url: string;
  id: string;
  pid: number;
  deadline: number;
  intervalMs?: number;
  stopped(): string | null;
}): Promise<ReadyStatus> {
  const interval = options.intervalMs ?? 25;
  let last = 'no answer yet';
  for (;;) {
    const reason = options.stopped();
    if (reason !== null) throw new Error(reason);
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) throw new Error(`not ready: ${last}`);
    try {
      const status = await getStatus(options.url, Math.min(1000, remaining));
      if (status.id === options.id && status.pid === options.pid) return status;
      last = `/status answered id ${status.id} pid ${status.pid}, expected ${options.id} pid ${options.pid}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

function getStatus(url: string, timeoutMs: number): Promise<ReadyStatus> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/status`, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`/status answered ${res.statusCode}`));
        try {
          resolve(JSON.parse(body) as ReadyStatus);
        } catch {
          reject(new Error('/status answered something other than JSON'));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`/status took more than ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
