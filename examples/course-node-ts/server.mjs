// server.mjs: the chapter's RaftServer on node:http instead of express (standard library
// only), started from the environment as the chapter's docker-compose file does:
//   NODE_ID, PORT, PEERS (host:port,...), and HOST, DATA_DIR, ELECTION_TIMEOUT_MIN,
//   ELECTION_TIMEOUT_MAX, HEARTBEAT_INTERVAL, RPC_TIMEOUT, BUGS (see README.md).
// Run: NODE_ID=node1 PORT=3001 PEERS=127.0.0.1:3002,127.0.0.1:3003 DATA_DIR=/tmp/n1 node server.mjs

import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { RaftNode } from './raft-node.mjs';

const KNOWN_BUGS = ['course-majority', 'course-no-retry', 'volatile'];

export class RaftServer {
  constructor(nodeId, host, port, config) {
    this.nodeId = nodeId;
    this.host = host;
    this.port = port;
    this.node = new RaftNode({ id: nodeId, ...config });
    this.server = createServer((req, res) => this.route(req, res));
  }

  send(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async route(req, res) {
    try {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;

      // Status endpoint (votedFor added to the chapter's fields)
      if (req.method === 'GET' && path === '/status') {
        return this.send(res, 200, {
          id: this.nodeId,
          state: this.node.getState(),
          term: this.node.getCurrentTerm(),
          leader: this.node.getLeader(),
          votedFor: this.node.getVotedFor(),
        });
      }
      if (req.method !== 'POST' || (path !== '/raft/request-vote' && path !== '/raft/heartbeat')) {
        return this.send(res, 404, { error: `no route ${req.method} ${path}` });
      }
      const body = await readJson(req);
      if (body === undefined) return this.send(res, 400, { error: 'the body is not a JSON object' });

      // RequestVote RPC endpoint
      if (path === '/raft/request-vote') {
        if (!isTerm(body.term) || typeof body.candidateId !== 'string') {
          return this.send(res, 400, { error: 'expected {term, candidateId, lastLogIndex, lastLogTerm}' });
        }
        const args = { lastLogIndex: 0, lastLogTerm: 0, ...body };
        return this.send(res, 200, this.node.requestVote(args));
      }

      // Heartbeat endpoint
      if (!isTerm(body.term) || typeof body.leaderId !== 'string') {
        return this.send(res, 400, { error: 'expected {term, leaderId}' });
      }
      return this.send(res, 200, this.node.receiveHeartbeat(body.term, body.leaderId));
    } catch (e) {
      if (!res.headersSent) this.send(res, 500, { error: e.message });
    }
  }

  start() {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, this.host, () => {
        console.log(`Node ${this.nodeId} listening on ${this.host}:${this.port}`);
        resolve();
      });
    });
  }

  stop() {
    this.node.stop();
    this.server.close();
    this.server.closeAllConnections();
  }
}

function isTerm(x) {
  return Number.isSafeInteger(x) && x >= 0;
}

function readJson(req) {
  return new Promise((resolve) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      data += c;
      if (data.length > 65536) req.destroy();
    });
    req.on('end', () => {
      try {
        const v = JSON.parse(data);
        resolve(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

function fail(message) {
  console.error(`course-node-ts: ${message}`);
  process.exit(2);
}

function intEnv(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) fail(`${name}="${raw}" is not a positive whole number`);
  return Number(raw);
}

/** Reads the node's settings from the environment; exits 2 naming the bad variable. */
export function configFromEnv(env) {
  const id = env.NODE_ID;
  if (!id) fail('NODE_ID is required');
  const port = intEnv(env, 'PORT', 0);
  if (!port || port > 65535) fail('PORT is required (1-65535)');
  const peers = (env.PEERS ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const p of peers) if (!/^[^:\s]+:\d{1,5}$/.test(p)) fail(`PEERS: "${p}" is not host:port`);
  const bugs = new Set((env.BUGS ?? '').split(',').map((b) => b.trim()).filter((b) => b !== ''));
  for (const b of bugs) if (!KNOWN_BUGS.includes(b)) fail(`BUGS: unknown "${b}" (known: ${KNOWN_BUGS.join(', ')})`);
  const dataDir = env.DATA_DIR ?? '';
  if (!dataDir && !bugs.has('volatile')) fail('DATA_DIR is required (term and vote are kept there), unless BUGS has volatile');
  const electionTimeoutMin = intEnv(env, 'ELECTION_TIMEOUT_MIN', 150);
  const electionTimeoutMax = intEnv(env, 'ELECTION_TIMEOUT_MAX', Math.max(300, electionTimeoutMin));
  if (electionTimeoutMin > electionTimeoutMax) fail(`ELECTION_TIMEOUT_MIN ${electionTimeoutMin} is above ELECTION_TIMEOUT_MAX ${electionTimeoutMax}`);
  return {
    id,
    host: env.HOST || '0.0.0.0',
    port,
    config: {
      peers,
      dataDir,
      bugs,
      electionTimeoutMin,
      electionTimeoutMax,
      heartbeatInterval: intEnv(env, 'HEARTBEAT_INTERVAL', 50),
      // Half the shortest timeout, at most 100 ms: an election's RPC round fits inside a timeout.
      rpcTimeout: intEnv(env, 'RPC_TIMEOUT', Math.min(100, Math.floor(electionTimeoutMin / 2))),
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { id, host, port, config } = configFromEnv(process.env);
  if (config.bugs.size > 0) console.log(`Node ${id} runs with BUGS=${[...config.bugs].join(',')}`);
  const server = new RaftServer(id, host, port, config);
  server.start().catch((e) => {
    console.error(`course-node-ts: cannot listen on ${host}:${port}: ${e.message}`);
    process.exit(1);
  });
  const shutdown = (signal) => {
    console.log(`Node ${id} stopping on ${signal}`);
    server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
