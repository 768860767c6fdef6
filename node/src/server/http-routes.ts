import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Rpc } from '../core/index.js';
import { readJsonBody } from './http-body.js';
import type { RaftNode } from './raft-node.js';
import { guardRpcRequest } from './request-guard.js';
import { checkRpcRequest } from './validate.js';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The `GET /` document: what this node serves (node/API.md). */
export const ENDPOINTS = {
  service: 'raft-chaos node',
  docs: 'node/API.md',
  endpoints: [
    { method: 'GET', path: '/', what: 'this list' },
    { method: 'GET', path: '/status', what: 'role, term, leader, vote, configuration' },
    { method: 'GET', path: '/events?since=N', what: 'transitions and votes after seq N; with &wait=MS, answered at the next one or after MS (long poll)' },
    { method: 'POST', path: '/raft/request-vote', what: 'RequestVote RPC (application/json, from peers only)' },
    { method: 'POST', path: '/raft/pre-vote', what: 'Pre-Vote RPC (application/json, from peers only)' },
    { method: 'POST', path: '/raft/append-entries', what: 'AppendEntries RPC (application/json, from peers only)' },
  ],
} as const;

/** The longest long poll `GET /events?since=N&wait=MS` takes (ms); a larger `wait` is refused with 400. */
export const MAX_EVENTS_WAIT_MS = 60_000;

/**
 * Routes one HTTP request (node/API.md): GET /, GET /status, GET /events?since=N[&wait=MS] and the Raft
 * RPCs. An RPC from a browser (Origin, cross-site Sec-Fetch-Site) gets 403, one not sent as
 * application/json 415; bodies are validated before the core sees them, terms above
 * MAX_TERM refused with a warning; a refused request changes nothing.
 */
export async function routeRequest(node: RaftNode, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/') return send(res, 200, { id: node.config.id, ...ENDPOINTS });
    if (req.method === 'GET' && path === '/status') return send(res, 200, node.status());
    if (req.method === 'GET' && path === '/events') {
      const raw = url.searchParams.get('since') ?? '0';
      if (!/^\d{1,15}$/.test(raw)) return send(res, 400, { error: '"since" must be a non-negative integer' });
      const waitRaw = url.searchParams.get('wait');
      if (waitRaw !== null) {
        if (!/^\d{1,6}$/.test(waitRaw) || Number(waitRaw) > MAX_EVENTS_WAIT_MS) {
          return send(res, 400, { error: `"wait" must be a whole number of ms from 0 to ${MAX_EVENTS_WAIT_MS}, got ${JSON.stringify(waitRaw.slice(0, 40))}` });
        }
        const gone = new AbortController();
        res.once('close', () => gone.abort());
        await node.events.waitFor(Number(raw), Number(waitRaw), gone.signal);
        if (gone.signal.aborted || res.destroyed) return;
      }
      return send(res, 200, node.eventsSince(Number(raw)));
    }
    const rpcType = { '/raft/request-vote': 'request-vote', '/raft/pre-vote': 'pre-vote', '/raft/append-entries': 'append-entries' }[path] as
      | Rpc['type']
      | undefined;
    if (rpcType === undefined) return send(res, 404, { error: `no route ${req.method} ${path}` });
    if (req.method !== 'POST') return send(res, 405, { error: `${path} takes POST` });
    const refused = guardRpcRequest(req.headers);
    if (refused) {
      req.resume();
      return send(res, refused.status, { error: refused.error });
    }
    const body = await readJsonBody(req);
    if (!body.ok) return send(res, body.status, { error: body.error });
    const c = checkRpcRequest(rpcType, body.value, node.peerIds());
    if (!c.ok) {
      if (c.aboveBound) node.warnTermAboveBound(c.aboveBound.from, path, c.aboveBound.field, c.aboveBound.value, req.socket.remoteAddress);
      return send(res, 400, { error: c.error });
    }
    const { from, rpc } = c;
    return node.handleRpc(from, rpc, (reply) => send(res, 200, reply));
  } catch (e) {
    if (!res.headersSent) send(res, 500, { error: (e as Error).message });
    else res.destroy();
  }
}
