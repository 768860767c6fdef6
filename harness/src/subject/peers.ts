import type { PeerFormat } from './types.js';

/** One other member as this node must dial it (in a harness run: the proxy of that link). */
export interface PeerAddress {
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

/**
 * The `{peers}` value in `format`: `h:p,h:p` (course), `n2=h:p,n3=h:p` (our node) or
 * `n2=http://h:p,...`. IPv6 hosts are bracketed. Order is kept as given.
 */
export function formatPeers(peers: readonly PeerAddress[], format: PeerFormat): string {
  return peers
    .map((p) => {
      const address = `${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
      if (format === 'host:port') return address;
      return format === 'id=host:port' ? `${p.id}=${address}` : `${p.id}=http://${address}`;
    })
    .join(',');
}
