import { httpGet } from '../readiness.js';

/**
 * Direct `/status` probes of a cluster's nodes, for tests and benchmarks that wait for a
 * leader without running the harness's poller. Never goes through the proxies.
 */
export interface StatusView {
  id: string;
  state: string;
  term: number;
  leader: string | null;
}

/** One `/status` of every node (null for nodes that do not answer). */
export async function statuses(urls: Record<string, string>): Promise<Record<string, StatusView | null>> {
  const out: Record<string, StatusView | null> = {};
  await Promise.all(
    Object.entries(urls).map(async ([node, url]) => {
      try {
        const res = await httpGet(`${url}/status`, 500);
        out[node] = JSON.parse(res.body) as StatusView;
      } catch {
        out[node] = null;
      }
    }),
  );
  return out;
}

/**
 * Polls `/status` every 50 ms until one node leads a term that a majority of the given nodes
 * (or all, with `all`) reports with that leader, and `accept` agrees; throws after `timeoutMs`
 * (default 15 s) with the last view.
 */
export async function waitForLeader(
  urls: Record<string, string>,
  options: {
    timeoutMs?: number;
    accept?: (leader: string, term: number) => boolean;
    /** Require every node (not just a majority) to follow the leader. */
    all?: boolean;
  } = {},
): Promise<{ leader: string; term: number }> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const n = Object.keys(urls).length;
  const majority = options.all ? n : Math.floor(n / 2) + 1;
  let last: Record<string, StatusView | null> = {};
  while (Date.now() < deadline) {
    last = await statuses(urls);
    for (const s of Object.values(last)) {
      if (s?.state !== 'leader') continue;
      const followers = Object.values(last).filter((o) => o?.term === s.term && o.leader === s.id).length;
      if (followers >= majority && (options.accept?.(s.id, s.term) ?? true)) return { leader: s.id, term: s.term };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no settled leader within ${options.timeoutMs ?? 15_000} ms; last view: ${JSON.stringify(last)}`);
}
