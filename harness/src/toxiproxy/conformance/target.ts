import { afterAll, beforeAll, it } from 'vitest';
import { startToxiproxyServer } from '../server.js';
import { startEcho, type TestServer } from './sockets.js';

/** The server under test: `TOXIPROXY_URL` if set, else an embedded one on an ephemeral port. */
export interface Target {
  readonly url: string;
  /** True when the server is this project's own (where the spec says "ours"). */
  readonly ours: boolean;
  close(): Promise<void>;
}

/** Connects to `TOXIPROXY_URL`, or starts the embedded server. Call `close()` in afterAll. */
export async function openTarget(): Promise<Target> {
  const external = process.env.TOXIPROXY_URL;
  if (external) return { url: external.replace(/\/$/, ''), ours: process.env.TOXIPROXY_OURS === '1', close: async () => {} };
  const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
  return { url: server.url, ours: true, close: () => server.close() };
}

/**
 * The fixture of every conformance file: before its tests, the target and an echo server
 * (handed to `use`); after them, every proxy named in `made` deleted, then both closed.
 */
export function conformanceFixture(made: readonly string[], use: (target: Target, echo: TestServer) => void): void {
  let target: Target | undefined;
  let echo: TestServer | undefined;
  beforeAll(async () => {
    target = await openTarget();
    echo = await startEcho();
    use(target, echo);
  });
  afterAll(async () => {
    if (target) for (const name of made) await http(target.url, 'DELETE', `/proxies/${encodeURIComponent(name)}`);
    await echo?.close();
    await target?.close();
  });
}

/**
 * A test of behaviour where the spec says "ours" (the real server crashes or answers
 * differently): skipped against an external server unless `TOXIPROXY_OURS=1`.
 */
export const itOurs = process.env.TOXIPROXY_URL && process.env.TOXIPROXY_OURS !== '1' ? it.skip : it;

let counter = 0;
/** A proxy name no other test uses (the suite may share a server). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `conf_${prefix}_${process.pid}_${counter}`;
}

/** Raw HTTP against the target; returns status, headers and the body text (and JSON if it parses). */
export async function http(
  url: string,
  method: string,
  path: string,
  body?: string | object,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json: unknown; headers: Headers }> {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}
