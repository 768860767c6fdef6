import { ToxiproxyError, type Toxiproxy } from 'toxiproxy-node-client';

/** The fields of a proxy an update may change; omitted ones keep their values. */
export interface ProxyPatch {
  readonly enabled?: boolean;
  readonly listen?: string;
  readonly upstream?: string;
}

/** The fields of a toxic an update may change: attributes (merged) and toxicity. */
export interface ToxicPatch {
  readonly attributes?: Readonly<Record<string, number>>;
  readonly toxicity?: number;
}

/**
 * Updates a proxy with `PATCH /proxies/{name}`. The node client (4.1) only updates with POST,
 * which Toxiproxy 2.12 still accepts but logs as deprecated on every call. Failures throw the
 * client's own `ToxiproxyError` ("Request failed with status code N"), so callers treat both
 * alike. Returns the proxy as the server answered it.
 */
export function patchProxy(client: Toxiproxy, name: string, fields: ProxyPatch): Promise<unknown> {
  return patch(`${client.host}/proxies/${encodeURIComponent(name)}`, fields);
}

/** Updates a toxic with `PATCH /proxies/{proxy}/toxics/{toxic}` (see `patchProxy`). */
export function patchToxic(client: Toxiproxy, proxy: string, toxic: string, fields: ToxicPatch): Promise<unknown> {
  return patch(`${client.host}/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`, fields);
}

async function patch(url: string, body: object): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    throw new ToxiproxyError(err.name, err.message, err.stack);
  }
  const text = await res.text();
  if (!res.ok) throw new ToxiproxyError('Error', `Request failed with status code ${res.status}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}
