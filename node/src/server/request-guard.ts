import type { IncomingHttpHeaders } from 'node:http';

/** Why a request to a Raft RPC path is refused before its body is read, or null to go on. */
export type GuardRefusal = { status: 403 | 415; error: string } | null;

/** `Sec-Fetch-Site` values a browser sends for requests no other site started. */
const OWN_SITE = new Set(['none', 'same-origin']);

/**
 * Browsers must not drive a node (node/API.md): a Raft RPC is refused with 403 when it carries
 * an `Origin` header, or a `Sec-Fetch-Site` other than `none`/`same-origin` (a web page's
 * request); and with 415 unless its `Content-Type` is `application/json` (parameters such as
 * `charset` allowed), which a page cannot send to another site without a CORS preflight the
 * node never answers. Peers, the harness and curl send neither header. Pure.
 */
export function guardRpcRequest(headers: IncomingHttpHeaders): GuardRefusal {
  if (headers.origin !== undefined) {
    return { status: 403, error: `Raft RPCs refuse requests from browsers: Origin ${JSON.stringify(headers.origin)} is not accepted` };
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined && !OWN_SITE.has(String(site).trim().toLowerCase())) {
    return { status: 403, error: `Raft RPCs refuse requests from browsers: Sec-Fetch-Site ${JSON.stringify(site)} is not none or same-origin` };
  }
  const type = headers['content-type'];
  const media = type?.split(';')[0]!.trim().toLowerCase();
  if (media !== 'application/json') {
    return { status: 415, error: `Raft RPCs take Content-Type application/json, got ${type === undefined ? 'none' : JSON.stringify(type)}` };
  }
  return null;
}
