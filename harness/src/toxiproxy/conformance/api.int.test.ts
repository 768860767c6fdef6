// Conformance: endpoints, status codes, body shapes and the error table of docs/TOXIPROXY-API.md,
// through raw HTTP and toxiproxy-node-client, against TOXIPROXY_URL or the embedded server.
import { Toxiproxy, ToxiproxyError } from 'toxiproxy-node-client';
import { describe, expect, it } from 'vitest';
import { type TestServer, tryConnect, portOf } from './sockets.js';
import { conformanceFixture, http, itOurs, type Target, uniqueName } from './target.js';

const made: string[] = [];
let target: Target;
let echo: TestServer;
let client: Toxiproxy;
conformanceFixture(made, (t, e) => ([target, echo, client] = [t, e, new Toxiproxy(t.url)]));

async function create(extra: Record<string, unknown> = {}): Promise<{ name: string; json: any }> {
  const name = uniqueName('api');
  made.push(name);
  const res = await http(target.url, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: echo.address, ...extra });
  expect(res.status).toBe(201);
  return { name, json: res.json };
}

type Res = { status: number; text: string; json: unknown; headers: Headers };

/** An API error as Go's `http.Error` writes it: JSON plus a newline, as plain text, nosniff. */
function expectError(res: Res, status: number, message: string | RegExp): void {
  expect(res.status).toBe(status);
  expect(res.text.endsWith('\n')).toBe(true);
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const body = res.json as { error: string; status: number };
  expect(body.status).toBe(status);
  if (typeof message === 'string') expect(body.error).toBe(message);
  else expect(body.error).toMatch(message);
}

/** A populate error: JSON without a newline, carrying the proxies handled so far (null for none). */
function expectPopulateError(res: Res, status: number, message: string | RegExp, proxies: string[] | null): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.text.endsWith('}')).toBe(true);
  const body = res.json as { error: string; status: number; proxies: Array<{ name: string }> | null };
  expect(Object.keys(body)).toEqual(['error', 'status', 'proxies']);
  expect(body.status).toBe(status);
  if (typeof message === 'string') expect(body.error).toBe(message);
  else expect(body.error).toMatch(message);
  expect(body.proxies === null ? null : body.proxies.map((p) => p.name)).toEqual(proxies);
}

/**
 * A proxy object without the real 2.12.0's `"Logger":{}` (an internal Go field that leaks into
 * its JSON; ours does not send it).
 */
function proxyFields(json: unknown): Record<string, unknown> {
  const { Logger: _internal, ...rest } = json as Record<string, unknown>;
  return rest;
}

const toxicShape = {
  name: expect.any(String),
  type: expect.any(String),
  stream: expect.stringMatching(/^(upstream|downstream)$/),
  toxicity: expect.any(Number),
  attributes: expect.any(Object),
};

describe('HTTP layer', () => {
  it('answers compact JSON with a request id', async () => {
    const res = await http(target.url, 'GET', '/proxies');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-toxiproxy-request-id')).toBeTruthy();
    expect(res.text).not.toMatch(/\n\s/);
  });
  it('gives every response a request id, errors included', async () => {
    const res = await http(target.url, 'GET', '/proxies/nope');
    expect(res.headers.get('x-toxiproxy-request-id')).toBeTruthy();
  });
  it('refuses browsers with 403', async () => {
    const res = await http(target.url, 'GET', '/proxies', undefined, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' });
    expect(res.status).toBe(403);
    expect(res.text.trim()).toBe('User agent not allowed');
    const post = await http(target.url, 'POST', '/reset', undefined, { 'user-agent': 'Mozilla/5.0' });
    expect(post.status).toBe(403);
  });
  it('errors are JSON plus a newline sent as text/plain; charset=utf-8 with nosniff (Go http.Error)', async () => {
    const res = await http(target.url, 'GET', '/proxies/nope');
    expect(res.text).toBe('{"error":"proxy not found","status":404}\n');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const browser = await http(target.url, 'GET', '/proxies', undefined, { 'user-agent': 'Mozilla/5.0' });
    expect(browser.headers.get('x-content-type-options')).toBe('nosniff');
  });
  itOurs('our own server never sends the real one\'s "Logger":{} in a proxy object', async () => {
    const { json } = await create();
    expect(Object.keys(json)).toEqual(['name', 'listen', 'upstream', 'enabled', 'toxics']);
  });
  it('404 for an unknown path (text "404 page not found"), 405 with empty body for a wrong method', async () => {
    const missing = await http(target.url, 'GET', '/nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('404 page not found\n');
    const wrong = await http(target.url, 'PUT', '/proxies');
    expect(wrong.status).toBe(405);
    expect(wrong.text).toBe('');
    expect((await http(target.url, 'DELETE', '/version')).status).toBe(405);
  });
  it('GET /version answers {"version": ...} plus a newline; the client returns the raw text', async () => {
    const res = await http(target.url, 'GET', '/version');
    expect(res.status).toBe(200);
    expect(res.text.endsWith('\n')).toBe(true);
    expect((res.json as { version: string }).version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await client.getVersion()).toBe(res.text);
  });
});

describe('proxies', () => {
  it('POST /proxies → 201 with the bound address for port 0, enabled by default, toxics []', async () => {
    const name = uniqueName('create');
    made.push(name);
    const res = await http(target.url, 'POST', '/proxies', { name, listen: 'localhost:0', upstream: echo.address });
    expect(res.status).toBe(201);
    expect(proxyFields(res.json)).toEqual({ name, listen: expect.stringMatching(/^127\.0\.0\.1:\d+$/), upstream: echo.address, enabled: true, toxics: [] });
    const port = portOf((res.json as { listen: string }).listen);
    expect(port).toBeGreaterThan(0);
    expect(await tryConnect(port)).toBe('connected');
  });
  it('creates a disabled proxy without listening; listen stays as given', async () => {
    const { json } = await create({ listen: 'localhost:0', enabled: false });
    expect(json.enabled).toBe(false);
    expect(json.listen).toBe('localhost:0');
  });
  it('GET /proxies is an object keyed by name; GET /proxies/{p} one proxy', async () => {
    const a = await create();
    const b = await create();
    const all = (await http(target.url, 'GET', '/proxies')).json as Record<string, unknown>;
    expect(all[a.name]).toEqual(a.json);
    expect(all[b.name]).toEqual(b.json);
    const keys = Object.keys(all);
    expect(keys).toEqual([...keys].sort());
    const one = await http(target.url, 'GET', `/proxies/${a.name}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual(a.json);
    const viaClient = await client.getAll();
    expect(viaClient[a.name]?.listen).toBe(a.json.listen);
  });
  it('POST and PATCH /proxies/{p} update; omitted fields keep their values; name ignored', async () => {
    const { name, json } = await create();
    const off = await http(target.url, 'POST', `/proxies/${name}`, { enabled: false, name: 'ignored' });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ name, listen: json.listen, upstream: echo.address, enabled: false });
    expect(await tryConnect(portOf(json.listen))).toBe('ECONNREFUSED');
    const on = await http(target.url, 'PATCH', `/proxies/${name}`, { enabled: true });
    expect(on.json).toMatchObject({ enabled: true, listen: json.listen });
    expect(await tryConnect(portOf(json.listen))).toBe('connected');
    const moved = await http(target.url, 'POST', `/proxies/${name}`, { upstream: '127.0.0.1:1' });
    expect(moved.json).toMatchObject({ upstream: '127.0.0.1:1', enabled: true });
  });
  it('the node client updates, gets and removes', async () => {
    const { name } = await create();
    const proxy = await client.get(name);
    const off = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(off.enabled).toBe(false);
    const on = await off.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect(on.enabled).toBe(true);
    await on.remove();
    await expect(client.get(name)).rejects.toBeInstanceOf(ToxiproxyError);
  });
  it('DELETE /proxies/{p} → 204, empty body, listener closed', async () => {
    const { name, json } = await create();
    const res = await http(target.url, 'DELETE', `/proxies/${name}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await tryConnect(portOf(json.listen))).toBe('ECONNREFUSED');
    expectError(await http(target.url, 'DELETE', `/proxies/${name}`), 404, 'proxy not found');
  });
  it('POST /reset → 204: every proxy enabled, every toxic removed', async () => {
    const { name } = await create();
    await http(target.url, 'POST', `/proxies/${name}/toxics`, { type: 'latency', attributes: { latency: 10 } });
    await http(target.url, 'POST', `/proxies/${name}`, { enabled: false });
    const res = await http(target.url, 'POST', '/reset');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const after = (await http(target.url, 'GET', `/proxies/${name}`)).json as { enabled: boolean; toxics: unknown[] };
    expect(after.enabled).toBe(true);
    expect(after.toxics).toEqual([]);
    await client.reset();
  });
});

describe('populate', () => {
  it('creates, keeps unchanged ones (toxics kept), replaces changed ones, never deletes', async () => {
    const keep = uniqueName('popkeep');
    const swap = uniqueName('popswap');
    made.push(keep, swap);
    const first = await http(target.url, 'POST', '/populate', [
      { name: keep, listen: '127.0.0.1:0', upstream: echo.address },
      { name: swap, listen: '127.0.0.1:0', upstream: echo.address },
    ]);
    expect(first.status).toBe(201);
    const [k, s] = (first.json as { proxies: Array<{ listen: string; name: string }> }).proxies;
    expect(k).toMatchObject({ name: keep, enabled: true, toxics: [] });
    await http(target.url, 'POST', `/proxies/${keep}/toxics`, { name: 'kept', type: 'noop' });
    await http(target.url, 'POST', `/proxies/${swap}/toxics`, { name: 'lost', type: 'noop' });
    const second = await client.populate([
      { name: keep, listen: k!.listen, upstream: echo.address },
      { name: swap, listen: s!.listen, upstream: '127.0.0.1:1' },
    ]);
    expect(second[keep]?.listen).toBe(k!.listen);
    const kept = (await http(target.url, 'GET', `/proxies/${keep}`)).json as { toxics: Array<{ name: string }> };
    expect(kept.toxics.map((t) => t.name)).toEqual(['kept']);
    const swapped = (await http(target.url, 'GET', `/proxies/${swap}`)).json as { upstream: string; toxics: unknown[] };
    expect(swapped).toMatchObject({ upstream: '127.0.0.1:1', toxics: [] });
  });
  it('validates every name and upstream first (1-based index)', async () => {
    const fresh = uniqueName('popfirst');
    const res = await http(target.url, 'POST', '/populate', [
      { name: fresh, listen: '127.0.0.1:0', upstream: echo.address },
      { name: uniqueName('x'), listen: '127.0.0.1:0' },
    ]);
    expectPopulateError(res, 400, 'missing required field: upstream at proxy 2', null);
    expect((await http(target.url, 'GET', `/proxies/${fresh}`)).status).toBe(404);
    expectPopulateError(await http(target.url, 'POST', '/populate', [{ upstream: echo.address }]), 400, 'missing required field: name at proxy 1', null);
    expectPopulateError(await http(target.url, 'POST', '/populate', '[{'), 400, /^bad request body: /, null);
  });
  it('stops at the first listen failure; earlier entries stay and are reported', async () => {
    const { json } = await create();
    const ok = uniqueName('popok');
    made.push(ok);
    const res = await http(target.url, 'POST', '/populate', [
      { name: ok, listen: '127.0.0.1:0', upstream: echo.address },
      { name: uniqueName('popbad'), listen: json.listen, upstream: echo.address },
      { name: uniqueName('popnever'), listen: '127.0.0.1:0', upstream: echo.address },
    ]);
    expectPopulateError(res, 500, /address already in use/, [ok]);
    expect((await http(target.url, 'GET', `/proxies/${ok}`)).status).toBe(200);
  });
  itOurs('empty input → {"proxies":[]} which the node client reads', async () => {
    const res = await http(target.url, 'POST', '/populate', []);
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ proxies: [] });
    expect(await client.populate([])).toEqual({});
  });
});

describe('toxics', () => {
  it('POST → 200 with defaults: name <type>_<stream>, downstream, toxicity 1, attributes 0', async () => {
    const { name } = await create();
    const res = await http(target.url, 'POST', `/proxies/${name}/toxics`, { type: 'latency' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 0, jitter: 0 } });
  });
  it('stream is case-insensitive and echoed as given; the default name uses it as given', async () => {
    const { name } = await create();
    const up = await http(target.url, 'POST', `/proxies/${name}/toxics`, { type: 'latency', stream: 'UpStream' });
    expect(up.json).toMatchObject({ name: 'latency_UpStream', stream: 'UpStream' });
    await http(target.url, 'POST', `/proxies/${name}/toxics`, { name: 'd', type: 'noop', stream: 'DOWNSTREAM' });
    const list = (await http(target.url, 'GET', `/proxies/${name}/toxics`)).json as Array<{ name: string; stream: string }>;
    // Direction still counts for order: the upstream toxic first.
    expect(list.map((t) => [t.name, t.stream])).toEqual([['latency_UpStream', 'UpStream'], ['d', 'DOWNSTREAM']]);
    expectError(await http(target.url, 'POST', `/proxies/${name}/toxics`, { type: 'noop', stream: '' }), 400, 'stream was invalid, can be either upstream or downstream');
  });
  it('lists upstream toxics then downstream, each in insertion order; GET one; 404s', async () => {
    const { name } = await create();
    const add = (body: object) => http(target.url, 'POST', `/proxies/${name}/toxics`, body);
    await add({ name: 'd1', type: 'noop' });
    await add({ name: 'u1', type: 'noop', stream: 'upstream' });
    await add({ name: 'd2', type: 'noop' });
    await add({ name: 'u2', type: 'noop', stream: 'upstream' });
    const list = await http(target.url, 'GET', `/proxies/${name}/toxics`);
    expect(list.status).toBe(200);
    expect((list.json as Array<{ name: string }>).map((t) => t.name)).toEqual(['u1', 'u2', 'd1', 'd2']);
    for (const toxic of list.json as unknown[]) expect(toxic).toEqual(toxicShape);
    const one = await http(target.url, 'GET', `/proxies/${name}/toxics/u2`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ name: 'u2', stream: 'upstream' });
    expectError(await http(target.url, 'GET', `/proxies/${name}/toxics/zz`), 404, 'toxic not found');
    expectError(await http(target.url, 'GET', `/proxies/nope_${name}/toxics/zz`), 404, 'proxy not found');
    const proxy = (await http(target.url, 'GET', `/proxies/${name}`)).json as { toxics: unknown[] };
    expect(proxy.toxics).toHaveLength(4);
  });
  it('update merges attributes and reads toxicity only; DELETE → 204', async () => {
    const { name } = await create();
    await http(target.url, 'POST', `/proxies/${name}/toxics`, { name: 's', type: 'slicer', attributes: { average_size: 10, size_variation: 2, delay: 5 } });
    const res = await http(target.url, 'POST', `/proxies/${name}/toxics/s`, { attributes: { delay: 7 }, toxicity: 0.5, type: 'latency', stream: 'upstream', name: 'other' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ name: 's', type: 'slicer', stream: 'downstream', toxicity: 0.5, attributes: { average_size: 10, size_variation: 2, delay: 7 } });
    const patched = await http(target.url, 'PATCH', `/proxies/${name}/toxics/s`, { toxicity: 1 });
    expect(patched.json).toMatchObject({ toxicity: 1, attributes: { delay: 7 } });
    const del = await http(target.url, 'DELETE', `/proxies/${name}/toxics/s`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expectError(await http(target.url, 'DELETE', `/proxies/${name}/toxics/s`), 404, 'toxic not found');
  });
  it('the node client adds, gets, updates and removes each toxic type', async () => {
    const { name } = await create();
    const proxy = await client.get(name);
    const cases: Array<[string, Record<string, number>]> = [
      ['latency', { latency: 5, jitter: 1 }],
      ['bandwidth', { rate: 100 }],
      ['slow_close', { delay: 10 }],
      ['timeout', { timeout: 100 }],
      ['reset_peer', { timeout: 100 }],
      ['slicer', { average_size: 8, size_variation: 2, delay: 10 }],
      ['limit_data', { bytes: 100 }],
      ['noop', {}],
    ];
    for (const [type, attributes] of cases) {
      const toxic = await proxy.addToxic({ name: `t_${type}`, type: type as never, stream: 'upstream', toxicity: 1, attributes });
      expect(toxic.attributes).toEqual(attributes);
      const got = await proxy.getToxic(`t_${type}`);
      expect(got.type).toBe(type);
      const updated = await got.update({ ...got.toJson(), toxicity: 0.25 });
      expect(updated.toxicity).toBe(0.25);
      await updated.remove();
    }
    expect((await http(target.url, 'GET', `/proxies/${name}/toxics`)).json).toEqual([]);
  });
});

describe('error table', () => {
  it('body is not JSON → 400 bad request body', async () => {
    expectError(await http(target.url, 'POST', '/proxies', '{nope'), 400, /^bad request body: /);
    expectError(await http(target.url, 'POST', '/proxies', ''), 400, /^bad request body: /);
  });
  it('name or upstream missing → 400', async () => {
    expectError(await http(target.url, 'POST', '/proxies', { upstream: echo.address }), 400, 'missing required field: name');
    expectError(await http(target.url, 'POST', '/proxies', { name: uniqueName('m') }), 400, 'missing required field: upstream');
  });
  it('proxy not found → 404 on every per-proxy endpoint', async () => {
    for (const [method, path] of [
      ['GET', '/proxies/missing_x'],
      ['POST', '/proxies/missing_x'],
      ['DELETE', '/proxies/missing_x'],
      ['GET', '/proxies/missing_x/toxics'],
      ['POST', '/proxies/missing_x/toxics'],
      ['POST', '/proxies/missing_x/toxics/t'],
      ['DELETE', '/proxies/missing_x/toxics/t'],
    ] as const) {
      expectError(await http(target.url, method, path, method === 'POST' ? { type: 'noop' } : undefined), 404, 'proxy not found');
    }
  });
  it('proxy name taken → 409, checked before listen', async () => {
    const { name, json } = await create();
    expectError(await http(target.url, 'POST', '/proxies', { name, listen: json.listen, upstream: echo.address }), 409, 'proxy already exists');
  });
  it('cannot listen → 500 with the system error; proxy not added', async () => {
    const { json } = await create();
    const name = uniqueName('busy');
    const res = await http(target.url, 'POST', '/proxies', { name, listen: json.listen, upstream: echo.address });
    expectError(res, 500, `listen tcp ${json.listen}: bind: address already in use`);
    expect((await http(target.url, 'GET', `/proxies/${name}`)).status).toBe(404);
  });
  it('bad stream → 400', async () => {
    const { name } = await create();
    expectError(await http(target.url, 'POST', `/proxies/${name}/toxics`, { type: 'noop', stream: 'sideways' }), 400, 'stream was invalid, can be either upstream or downstream');
  });
  it('unknown toxic type → 400 invalid toxic type (also "down" and a missing type)', async () => {
    const { name } = await create();
    for (const body of [{ type: 'explode' }, { type: 'down' }, {}]) {
      expectError(await http(target.url, 'POST', `/proxies/${name}/toxics`, body), 400, 'invalid toxic type');
    }
  });
  it('toxic name taken in either direction → 409', async () => {
    const { name } = await create();
    await http(target.url, 'POST', `/proxies/${name}/toxics`, { name: 'same', type: 'noop', stream: 'upstream' });
    expectError(await http(target.url, 'POST', `/proxies/${name}/toxics`, { name: 'same', type: 'latency' }), 409, 'toxic already exists');
  });
  it('toxic not found → 404 for get, update, delete', async () => {
    const { name } = await create();
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
      expectError(await http(target.url, method, `/proxies/${name}/toxics/ghost`, method === 'GET' || method === 'DELETE' ? undefined : {}), 404, 'toxic not found');
    }
  });
  itOurs('attribute out of range → 400 naming the attribute', async () => {
    const { name } = await create();
    const cases: Array<[object, RegExp]> = [
      [{ type: 'latency', attributes: { latency: -1 } }, /latency/],
      [{ type: 'bandwidth', attributes: { rate: -5 } }, /rate/],
      [{ type: 'slicer', attributes: { average_size: 0 } }, /average_size/],
      [{ type: 'slicer', attributes: { average_size: 4, size_variation: 9 } }, /size_variation/],
      [{ type: 'timeout', attributes: { timeout: 1e12 } }, /timeout/],
      [{ type: 'limit_data', attributes: { bytes: -1 } }, /bytes/],
      [{ type: 'noop', toxicity: 1.5 }, /toxicity/],
      [{ type: 'noop', toxicity: -0.1 }, /toxicity/],
    ];
    for (const [body, message] of cases) {
      const res = await http(target.url, 'POST', `/proxies/${name}/toxics`, body);
      expectError(res, 400, message);
    }
    await http(target.url, 'POST', `/proxies/${name}/toxics`, { name: 'l', type: 'latency', attributes: { latency: 5 } });
    expectError(await http(target.url, 'POST', `/proxies/${name}/toxics/l`, { attributes: { jitter: -3 } }), 400, /jitter/);
    expect((await http(target.url, 'GET', `/proxies/${name}/toxics/l`)).json).toMatchObject({ attributes: { latency: 5, jitter: 0 } });
  });
});
