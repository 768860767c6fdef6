import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badBody } from './api-error.js';
import { parseRequestBody } from './request-body.js';
import { matchRoute, type Reply, type RouteContext } from './routes.js';

/** Largest request body read; bigger ones get 400. */
const MAX_BODY_BYTES = 1 << 20;

function send(res: ServerResponse, reply: Reply): void {
  if (!('json' in reply) && !('text' in reply)) {
    res.writeHead(reply.status).end();
    return;
  }
  const body = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
  const type = 'json' in reply ? 'application/json' : reply.contentType;
  res.writeHead(reply.status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/** What Go's `http.Error` sends with every error: plain text, no content sniffing. */
const ERROR_HEADERS = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };

/**
 * An API error as the real server writes it (through Go's `http.Error`): the JSON
 * `{"error","status"}` plus a newline, typed `text/plain; charset=utf-8`, with `nosniff`.
 */
function sendError(res: ServerResponse, error: unknown): void {
  const status = error instanceof ApiError ? error.status : 500;
  const message = error instanceof Error ? error.message : String(error);
  const body = `${JSON.stringify({ error: message, status })}\n`;
  res.writeHead(status, { ...ERROR_HEADERS, 'Content-Length': Buffer.byteLength(body) }).end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      size > MAX_BODY_BYTES ? reject(badBody(`larger than ${MAX_BODY_BYTES} bytes`)) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/** Splits a raw path into decoded segments; undefined when a segment's escaping is invalid. */
function pathSegments(url: string): string[] | undefined {
  const path = url.split('?', 1)[0]!;
  try {
    return path.slice(1).split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/**
 * The request listener of the HTTP API. Requests run one at a time, in arrival order, so the
 * proxy collection never sees overlapping changes. Every response carries
 * `X-Toxiproxy-Request-Id`; browsers (User-Agent `Mozilla/...`) get 403.
 */
export function createApiHandler(ctx: RouteContext): (req: IncomingMessage, res: ServerResponse) => void {
  let queue: Promise<void> = Promise.resolve();
  const idPrefix = randomBytes(6).toString('hex');
  let counter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counter += 1;
    res.setHeader('X-Toxiproxy-Request-Id', `${idPrefix}${counter.toString(16).padStart(8, '0')}`);
    if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
      req.resume();
      res.writeHead(403, ERROR_HEADERS).end('User agent not allowed\n');
      return;
    }
    const segments = pathSegments(req.url ?? '/');
    const match = segments && matchRoute(segments);
    if (!match) {
      req.resume();
      res.writeHead(404, ERROR_HEADERS).end('404 page not found\n');
      return;
    }
    const handler = match.route.methods[req.method ?? ''];
    if (!handler) {
      req.resume();
      res.writeHead(405).end();
      return;
    }
    let text: string;
    try {
      text = await readBody(req);
    } catch (error) {
      sendError(res, error);
      return;
    }
    const run = async (): Promise<void> => {
      try {
        send(res, await handler(ctx, { method: req.method ?? '', params: match.params, body: () => parseRequestBody(text) }));
      } catch (error) {
        sendError(res, error);
      }
    };
    const turn = queue.then(run);
    queue = turn.catch(() => {});
    await turn;
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, error);
      else res.destroy();
    });
  };
}
