import { Agent, request } from 'node:http';
import type { PeerAddress } from '../config.js';

/** Largest reply body accepted from a peer. */
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * Outgoing Raft RPCs over HTTP/JSON with one keep-alive agent, so links are reused, and a
 * hard deadline per call, so a cut or stalled link fails fast. Resolves with the parsed JSON
 * reply or rejects with an Error saying why; callers validate the reply.
 */
export class RpcClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8, keepAliveMsecs: 1000 });
  private readonly peers: Map<string, PeerAddress>;

  constructor(peers: readonly PeerAddress[], private readonly timeoutMs: number) {
    this.peers = new Map(peers.map((p) => [p.id, p]));
  }

  /** POSTs `body` to `path` on peer `to`. */
  call(to: string, path: string, body: unknown): Promise<unknown> {
    const peer = this.peers.get(to);
    if (!peer) return Promise.reject(new Error(`unknown peer ${to}`));
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: peer.host,
          port: peer.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_REPLY_BYTES) req.destroy(new Error('reply too large'));
            else chunks.push(c);
          });
          res.on('end', () => {
            clearTimeout(timer);
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch {
              reject(new Error('reply is not JSON'));
            }
          });
          res.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`timeout after ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(payload);
    });
  }

  /** Closes pooled connections. Calls after this fail. */
  close(): void {
    this.agent.destroy();
  }
}
