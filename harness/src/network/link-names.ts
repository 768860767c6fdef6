/**
 * Names of the Toxiproxy proxies that carry one run's directed links. Pure.
 *
 * A proxy name is `<runId>-<from>-to-<to>`: the run id keeps runs sharing one Toxiproxy apart,
 * and every proxy of a run starts with `<runId>-`, so a run's proxies can be found (and
 * deleted) by prefix. Node ids match `[A-Za-z0-9_.-]{1,64}` (node/API.md), so the name is a
 * valid URL path segment as long as the run id is.
 */
export function linkProxyName(runId: string, from: string, to: string): string {
  return `${runId}-${from}-to-${to}`;
}

/** Every directed link of a cluster, `from→to` for each ordered pair of distinct nodes. */
export function directedLinks(nodes: readonly string[]): Array<readonly [from: string, to: string]> {
  const links: Array<readonly [string, string]> = [];
  for (const from of nodes) {
    for (const to of nodes) {
      if (from !== to) links.push([from, to]);
    }
  }
  return links;
}

/** `host:port` from a Toxiproxy listen address such as `127.0.0.1:43127` or `[::1]:80`. */
export function parseHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`not a host:port address: ${JSON.stringify(address)}`);
  }
  return { host, port };
}
