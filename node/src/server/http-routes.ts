import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Rpc } from '../core/types.js';
import { readJsonBody } from './http-body.js';
import type { RaftNode } from './raft-node.js';
import { checkAppendEntries, checkVoteRequest } from './validate.js';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Routes one HTTP request (node/API.md): GET /status, GET /events?since=N and the Raft RPCs.
 * Bodies are validated before the core sees them; a refused body changes nothing.
 */
export async function routeRequest(node: RaftNode, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/status') return send(res, 200, node.status());
    if (req.method === 'GET' && path === '/events') {
      const raw = url.searchParams.get('since') ?? '0';
      if (!/^\d{1,15}$/.test(raw)) return send(res, 400, { error: '"since" must be a non-negative integer' });
      return send(res, 200, node.eventsSince(Number(raw)));
    }
    const rpcType = { '/raft/request-vote': 'request-vote', '/raft/pre-vote': 'pre-vote', '/raft/append-entries': 'append-entries' }[path] as
      | Rpc['type']
      | undefined;
    if (rpcType === undefined) return send(res, 404, { error: `no route ${req.method} ${path}` });
    if (req.method !== 'POST') return send(res, 405, { error: `${path} takes POST` });
    const body = await readJsonBody(req);
    if (!body.ok) return send(res, body.status, { error: body.error });
    let rpc: Rpc;
    if (rpcType === 'append-entries') {
      const c = checkAppendEntries(body.value);
      if (!c.ok) return send(res, 400, { error: c.error });
      rpc = { type: rpcType, body: c.value };
    } else {
      const c = checkVoteRequest(body.value);
      if (!c.ok) return send(res, 400, { error: c.error });
      rpc = { type: rpcType, body: c.value };
    }
    const from = rpc.type === 'append-entries' ? rpc.body.leaderId : rpc.body.candidateId;
    // The cluster is fixed: a sender that is not a peer (or is this node) is refused, never obeyed.
    if (!node.isPeer(from)) return send(res, 400, { error: `${from} is not a peer of this node (its peers: ${node.peerIds().join(', ')})` });
    return send(res, 200, node.handleRpc(from, rpc));
  } catch (e) {
    if (!res.headersSent) send(res, 500, { error: (e as Error).message });
    else res.destroy();
  }
}
