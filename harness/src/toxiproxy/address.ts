import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** A `host:port` pair split apart; `host` has no brackets, `port` is 0-65535. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Splits `host:port` (IPv6 hosts in brackets: `[::1]:80`) the way Go's `net.SplitHostPort`
 * does. Returns a message (Go's wording) instead of throwing when the address is malformed.
 */
export function splitHostPort(address: string): HostPort | string {
  let host: string;
  let portText: string;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) return `address ${address}: missing ']' in address`;
    host = address.slice(1, close);
    if (address[close + 1] !== ':') return `address ${address}: missing port in address`;
    portText = address.slice(close + 2);
  } else {
    const colon = address.lastIndexOf(':');
    if (colon < 0) return `address ${address}: missing port in address`;
    host = address.slice(0, colon);
    if (host.includes(':')) return `address ${address}: too many colons in address`;
    portText = address.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    return `address ${address}: invalid port`;
  }
  return { host, port: Number(portText) };
}

/** Formats a host and port as Go does: IPv6 in brackets. */
export function joinHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Resolves a listen address to the IP it will bind, like Go's `net.ResolveTCPAddr`:
 * `localhost:0` becomes `127.0.0.1:0`, an empty host means every interface. Throws an
 * Error whose message is Go's (`lookup nohost: no such host`) when the name does not resolve.
 */
export async function resolveListenAddress(address: string): Promise<HostPort> {
  const parts = splitHostPort(address);
  if (typeof parts === 'string') throw new Error(`listen tcp: ${parts}`);
  if (parts.host === '') return { host: '0.0.0.0', port: parts.port };
  if (parts.host === 'localhost') return { host: '127.0.0.1', port: parts.port };
  if (isIP(parts.host) !== 0) return parts;
  try {
    const found = await lookup(parts.host, { family: 0, order: 'ipv4first' });
    return { host: found.address, port: parts.port };
  } catch {
    throw new Error(`listen tcp: lookup ${parts.host}: no such host`);
  }
}

const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: 'bind: address already in use',
  EACCES: 'bind: permission denied',
  EADDRNOTAVAIL: 'bind: cannot assign requested address',
};

/** Turns a Node listen error into Go's wording: `listen tcp 127.0.0.1:3310: bind: address already in use`. */
export function listenErrorMessage(address: HostPort, error: NodeJS.ErrnoException): string {
  const reason = (error.code && BIND_ERRORS[error.code]) ?? error.message;
  return `listen tcp ${joinHostPort(address.host, address.port)}: ${reason}`;
}
