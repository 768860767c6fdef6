// Conformance: bad input gets the documented error and the server keeps serving.
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterEach, describe, expect, it } from 'vitest';
import { dial, portOf, type TestServer } from './sockets.js';
import { conformanceFixture, http, itOurs, type Target, uniqueName } from './target.js';

const made: string[] = [];
let target: Target;
let echo: TestServer;
conformanceFixture(made, (t, e) => ([target, echo] = [t, e]));
afterEach(async () => {
  // The server still serves after every bad request.
  const res = await http(target.url, 'GET', '/version');
  expect(res.status).toBe(200);
});

async function proxy(): Promise<string> {
  const name = uniqueName('bad');
  made.push(name);
  expect((await http(target.url, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: echo.address })).status).toBe(201);
  return name;
}

describe('malformed JSON', () => {
  it.each(['{', '{"name":', '[1,', '{"name" "a"}', '\u0000', 'undefined'])('%j → 400 bad request body', async (body) => {
    const res = await http(target.url, 'POST', '/proxies', body);
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toMatch(/^bad request body/);
  });
  it('a null body is an empty object, as in Go: create → missing name, toxic → invalid type, updates change nothing', async () => {
    const res = await http(target.url, 'POST', '/proxies', 'null x');
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toBe('missing required field: name');
    const name = await proxy();
    const toxic = await http(target.url, 'POST', `/proxies/${name}/toxics`, 'null');
    expect(toxic.status).toBe(400);
    expect((toxic.json as { error: string }).error).toBe('invalid toxic type');
    await http(target.url, 'POST', `/proxies/${name}/toxics`, { name: 'l', type: 'latency', attributes: { latency: 5 } });
    const before = (await http(target.url, 'GET', `/proxies/${name}`)).json;
    expect((await http(target.url, 'PATCH', `/proxies/${name}/toxics/l`, 'null')).json).toMatchObject({ name: 'l', attributes: { latency: 5 } });
    expect((await http(target.url, 'PATCH', `/proxies/${name}`, 'null')).json).toEqual(before);
    expect(await http(target.url, 'POST', '/populate', '[null]')).toMatchObject({ status: 400, json: { error: 'missing required field: name at proxy 1' } });
  });
  it('malformed toxic and update bodies → 400', async () => {
    const name = await proxy();
    expect((await http(target.url, 'POST', `/proxies/${name}/toxics`, '{"type":')).status).toBe(400);
    expect((await http(target.url, 'POST', `/proxies/${name}`, 'nope')).status).toBe(400);
    expect((await http(target.url, 'POST', '/populate', '[{')).status).toBe(400);
  });
  it('only the first JSON value is read; unknown keys ignored; keys case-insensitive', async () => {
    const name = uniqueName('first');
    made.push(name);
    const body = `{"NAME":"${name}","Upstream":"${echo.address}","listen":"127.0.0.1:0","colour":"blue"} {"junk":`;
    const res = await http(target.url, 'POST', '/proxies', body);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ name, upstream: echo.address });
  });
});

describe('wrong types', () => {
  it.each([
    [{ name: 5, upstream: 'x:1' }],
    [{ name: 'n', upstream: ['x'] }],
    [{ name: 'n', upstream: 'x:1', enabled: 'yes' }],
    [{ name: 'n', upstream: 'x:1', listen: 80 }],
    [['not', 'an', 'object']],
    ['a string'],
  ])('POST /proxies %j → 400', async (body) => {
    const res = await http(target.url, 'POST', '/proxies', JSON.stringify(body));
    expect(res.status).toBe(400);
  });
  it('toxic fields of the wrong type → 400', async () => {
    const name = await proxy();
    for (const body of [
      { type: 7 },
      { type: 'latency', attributes: { latency: '100' } },
      { type: 'latency', attributes: 'slow' },
      { type: 'latency', toxicity: 'high' },
      { type: 'noop', stream: 5 },
    ]) {
      expect((await http(target.url, 'POST', `/proxies/${name}/toxics`, body)).status).toBe(400);
    }
    expect((await http(target.url, 'GET', `/proxies/${name}/toxics`)).json).toEqual([]);
  });
  itOurs('populate with a non-array body → 400', async () => {
    expect((await http(target.url, 'POST', '/populate', { name: 'x' })).status).toBe(400);
  });
});

describe('absurd attributes (ours)', () => {
  itOurs('negative, fractional, huge and NaN-like values are refused; nothing is added', async () => {
    const name = await proxy();
    for (const attributes of [
      { latency: -100 },
      { latency: 1.5 },
      { latency: 1e300 },
      { jitter: -1 },
    ]) {
      const res = await http(target.url, 'POST', `/proxies/${name}/toxics`, { type: 'latency', attributes });
      expect(res.status).toBe(400);
      expect((res.json as { error: string }).error).toMatch(/latency|jitter/);
    }
    expect((await http(target.url, 'POST', `/proxies/${name}/toxics`, '{"type":"latency","attributes":{"latency":1e999}}')).status).toBe(400);
    expect((await http(target.url, 'GET', `/proxies/${name}/toxics`)).json).toEqual([]);
  });
});

describe('names', () => {
  it('unknown toxic types → 400 invalid toxic type', async () => {
    const name = await proxy();
    for (const type of ['LATENCY', 'latency ', '', 'toString', '__proto__']) {
      const res = await http(target.url, 'POST', `/proxies/${name}/toxics`, { type });
      expect(res.status).toBe(400);
      expect((res.json as { error: string }).error).toBe('invalid toxic type');
    }
  });
  it('names with spaces, unicode and percent signs work through URL escaping and the node client', async () => {
    for (const odd of [uniqueName('with space'), uniqueName('ünï⚡'), uniqueName('pct%41')]) {
      made.push(odd);
      const res = await http(target.url, 'POST', '/proxies', { name: odd, listen: '127.0.0.1:0', upstream: echo.address });
      expect(res.status).toBe(201);
      const got = await http(target.url, 'GET', `/proxies/${encodeURIComponent(odd)}`);
      expect(got.status).toBe(200);
      expect((got.json as { name: string }).name).toBe(odd);
      const toxic = await http(target.url, 'POST', `/proxies/${encodeURIComponent(odd)}/toxics`, { name: `t ${odd}`, type: 'noop' });
      expect(toxic.status).toBe(200);
      expect((await http(target.url, 'GET', `/proxies/${encodeURIComponent(odd)}/toxics/${encodeURIComponent(`t ${odd}`)}`)).status).toBe(200);
      const probe = await dial(portOf((res.json as { listen: string }).listen));
      probe.socket.write('ok');
      await probe.waitFor(2);
      probe.socket.destroy();
    }
    const client = new Toxiproxy(target.url);
    const spaced = made.find((n) => n.includes('with space'))!;
    expect((await client.get(spaced)).name).toBe(spaced);
  });
  itOurs('names that cannot be addressed in a URL ("/", control characters) → 400', async () => {
    for (const name of ['a/b', 'tab\there', 'nl\n']) {
      const res = await http(target.url, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: echo.address });
      expect(res.status).toBe(400);
    }
  });
  it('a browser User-Agent gets 403 on every endpoint, then normal clients still work', async () => {
    for (const [method, path] of [['GET', '/proxies'], ['POST', '/populate'], ['GET', '/version'], ['DELETE', '/proxies/x']]) {
      const res = await http(target.url, method!, path!, undefined, { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0)' });
      expect(res.status).toBe(403);
    }
    expect((await http(target.url, 'GET', '/proxies')).status).toBe(200);
  });
});
