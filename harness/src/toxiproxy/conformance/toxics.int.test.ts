// Conformance: each toxic's effect measured on real loopback sockets, toxicity, chaining, live
// changes on open connections, and disable/delete cutting links. Timing checks are lower
// bounds with generous upper bounds so a busy two-core machine does not make them flake.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dial, portOf, sleep, startServer, type TestServer, tryConnect } from './sockets.js';
import { conformanceFixture, http, type Target, uniqueName } from './target.js';

const made: string[] = [];
let target: Target;
let echo: TestServer;
conformanceFixture(made, (t, e) => ([target, echo] = [t, e]));

/** Creates a proxy to `upstream` (default: the echo server), with toxics; returns name and port. */
async function proxyTo(toxics: object[] = [], upstream = echo.address): Promise<{ name: string; port: number }> {
  const name = uniqueName('tox');
  made.push(name);
  const res = await http(target.url, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream });
  expect(res.status).toBe(201);
  for (const toxic of toxics) await addToxic(name, toxic);
  return { name, port: portOf((res.json as { listen: string }).listen) };
}

async function addToxic(name: string, toxic: object): Promise<void> {
  const res = await http(target.url, 'POST', `/proxies/${name}/toxics`, toxic);
  expect(res.status, res.text).toBe(200);
}

/** Round trip time (ms) of `bytes` through a fresh connection to the echo server behind `port`. */
async function roundTrip(port: number, bytes = 16): Promise<number> {
  const probe = await dial(port);
  const start = performance.now();
  probe.socket.write(randomBytes(bytes));
  const done = await probe.waitFor(bytes, 5000);
  probe.socket.destroy();
  return done - start;
}

describe('each toxic on real sockets', () => {
  it('noop and no toxics pass data unchanged', async () => {
    const { port } = await proxyTo([{ type: 'noop' }]);
    const probe = await dial(port);
    const data = randomBytes(300_000);
    probe.socket.write(data);
    await probe.waitFor(data.length);
    expect(Buffer.concat(probe.chunks.map((c) => c.data)).equals(data)).toBe(true);
    probe.socket.destroy();
  });
  it('latency adds at least its delay, per direction, and keeps order', async () => {
    const { port } = await proxyTo([
      { type: 'latency', attributes: { latency: 100 } },
      { type: 'latency', stream: 'upstream', attributes: { latency: 50 } },
    ]);
    const rtt = await roundTrip(port);
    expect(rtt).toBeGreaterThanOrEqual(150);
    expect(rtt).toBeLessThan(1000);
    const probe = await dial(port);
    for (let i = 0; i < 20; i += 1) probe.socket.write(`${i},`);
    await probe.waitFor(Array.from({ length: 20 }, (_, i) => `${i},`).join('').length);
    expect(probe.text()).toBe(Array.from({ length: 20 }, (_, i) => `${i},`).join(''));
    probe.socket.destroy();
  });
  it('latency with jitter stays within latency ± jitter', async () => {
    const { port } = await proxyTo([{ type: 'latency', attributes: { latency: 60, jitter: 40 } }]);
    for (let i = 0; i < 3; i += 1) {
      const rtt = await roundTrip(port);
      expect(rtt).toBeGreaterThanOrEqual(19);
      expect(rtt).toBeLessThan(900);
    }
  });
  it('bandwidth caps throughput near its rate', async () => {
    const { port } = await proxyTo([{ type: 'bandwidth', attributes: { rate: 200 } }]); // 200 KB/s
    const probe = await dial(port);
    const start = performance.now();
    probe.socket.write(randomBytes(100_000));
    const done = await probe.waitFor(100_000, 5000);
    const rate = 100_000 / ((done - start) / 1000) / 1000; // KB/s
    expect(rate).toBeLessThanOrEqual(220);
    expect(rate).toBeGreaterThan(100);
    probe.socket.destroy();
  });
  it('timeout swallows data and closes after its timeout', async () => {
    const { port } = await proxyTo([{ type: 'timeout', attributes: { timeout: 300 } }]);
    const probe = await dial(port);
    const start = performance.now();
    probe.socket.write('hello');
    const closed = await probe.waitClosed(3000);
    expect(closed.at - start).toBeGreaterThanOrEqual(250);
    expect(probe.received).toBe(0);
  });
  it('timeout 0 holds the connection open; removing it closes the connection', async () => {
    const { name, port } = await proxyTo([{ name: 'hold', type: 'timeout', attributes: { timeout: 0 } }]);
    const probe = await dial(port);
    probe.socket.write('hello');
    await sleep(300);
    expect(probe.socket.destroyed).toBe(false);
    expect(probe.received).toBe(0);
    await http(target.url, 'DELETE', `/proxies/${name}/toxics/hold`);
    await probe.waitClosed(3000);
  });
  it('reset_peer resets the connection (ECONNRESET) after its timeout', async () => {
    const { port } = await proxyTo([{ type: 'reset_peer', attributes: { timeout: 100 } }]);
    const probe = await dial(port);
    const start = performance.now();
    probe.socket.write('hello');
    const closed = await probe.waitClosed(3000);
    expect(closed.error).toBe('ECONNRESET');
    expect(closed.at - start).toBeGreaterThanOrEqual(90);
    expect(probe.received).toBe(0);
  });
  it('limit_data closes after exactly N bytes per direction', async () => {
    const { port } = await proxyTo([{ type: 'limit_data', attributes: { bytes: 1000 } }]);
    const probe = await dial(port);
    probe.socket.write(randomBytes(600));
    await probe.waitFor(600);
    probe.socket.write(randomBytes(600));
    await probe.waitClosed(3000);
    expect(probe.received).toBe(1000);
  });
  it('slicer splits writes into pieces around average_size', async () => {
    const { port } = await proxyTo([{ type: 'slicer', attributes: { average_size: 100, size_variation: 20, delay: 20_000 } }]);
    const probe = await dial(port);
    const data = randomBytes(800);
    const start = performance.now();
    probe.socket.write(data);
    const done = await probe.waitFor(800);
    expect(Buffer.concat(probe.chunks.map((c) => c.data)).equals(data)).toBe(true);
    // About 8 pieces 20 ms apart; a stalled reader may merge a few, so check the bulk of them.
    expect(probe.chunks.length).toBeGreaterThanOrEqual(4);
    const sizes = probe.chunks.map((c) => c.data.length).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThanOrEqual(120);
    expect(done - start).toBeGreaterThanOrEqual(6 * 20);
    probe.socket.destroy();
  });
  it('slow_close delays the close by its delay', async () => {
    const closer = await startServer((s) => s.end('bye'));
    const { port } = await proxyTo([{ type: 'slow_close', attributes: { delay: 300 } }], closer.address);
    const probe = await dial(port);
    const start = performance.now();
    await probe.waitFor(3);
    const closed = await probe.waitClosed(3000);
    expect(probe.text()).toBe('bye');
    expect(closed.at - start).toBeGreaterThanOrEqual(280);
    await closer.close();
  });
});

describe('toxicity and chaining', () => {
  it('toxicity 0 never applies; toxicity 1 always does', async () => {
    const off = await proxyTo([{ type: 'latency', toxicity: 0, attributes: { latency: 300 } }]);
    for (let i = 0; i < 3; i += 1) expect(await roundTrip(off.port)).toBeLessThan(250);
    const on = await proxyTo([{ type: 'latency', toxicity: 1, attributes: { latency: 100 } }]);
    for (let i = 0; i < 2; i += 1) expect(await roundTrip(on.port)).toBeGreaterThanOrEqual(100);
  });
  it('two latency toxics on one direction add up', async () => {
    const { port } = await proxyTo([
      { name: 'a', type: 'latency', attributes: { latency: 80 } },
      { name: 'b', type: 'latency', attributes: { latency: 80 } },
    ]);
    expect(await roundTrip(port)).toBeGreaterThanOrEqual(160);
  });
  it('chained toxics act in insertion order (limit_data after slicer counts sliced bytes)', async () => {
    const { port } = await proxyTo([
      { name: 's', type: 'slicer', attributes: { average_size: 10, size_variation: 0, delay: 0 } },
      { name: 'l', type: 'limit_data', attributes: { bytes: 25 } },
    ]);
    const probe = await dial(port);
    probe.socket.write(randomBytes(100));
    await probe.waitClosed(3000);
    expect(probe.received).toBe(25);
  });
});

describe('live changes on open connections', () => {
  it('adding a toxic applies at once; removing latency releases held data early', async () => {
    const { name, port } = await proxyTo();
    const probe = await dial(port);
    probe.socket.write('a');
    await probe.waitFor(1);
    await addToxic(name, { name: 'slow', type: 'latency', attributes: { latency: 5000 } });
    const sent = performance.now();
    probe.socket.write('b');
    await sleep(150);
    expect(probe.received).toBe(1);
    await http(target.url, 'DELETE', `/proxies/${name}/toxics/slow`);
    const done = await probe.waitFor(2, 2000);
    expect(done - sent).toBeLessThan(2500);
    expect(probe.text()).toBe('ab');
    probe.socket.destroy();
  });
  it('updates and removals during a stream lose no data', async () => {
    const { name, port } = await proxyTo();
    const probe = await dial(port);
    const data = randomBytes(400_000);
    let offset = 0;
    const writer = setInterval(() => {
      if (offset < data.length) probe.socket.write(data.subarray(offset, (offset += 8_000)));
    }, 2);
    await addToxic(name, { name: 'lat', type: 'latency', attributes: { latency: 20 } });
    await addToxic(name, { name: 'bw', type: 'bandwidth', attributes: { rate: 2000 } });
    await addToxic(name, { name: 'sl', type: 'slicer', stream: 'upstream', attributes: { average_size: 500, size_variation: 100, delay: 0 } });
    await sleep(50);
    await http(target.url, 'POST', `/proxies/${name}/toxics/lat`, { attributes: { latency: 5 } });
    await http(target.url, 'POST', `/proxies/${name}/toxics/bw`, { attributes: { rate: 0 } });
    await sleep(50);
    await http(target.url, 'DELETE', `/proxies/${name}/toxics/bw`);
    await http(target.url, 'DELETE', `/proxies/${name}/toxics/lat`);
    await http(target.url, 'DELETE', `/proxies/${name}/toxics/sl`);
    await probe.waitFor(data.length, 10_000);
    clearInterval(writer);
    expect(Buffer.concat(probe.chunks.map((c) => c.data)).equals(data)).toBe(true);
    probe.socket.destroy();
  });
});

describe('cutting links', () => {
  it('disable closes open connections at once, refuses new ones, and no data passes afterwards', async () => {
    const { name, port } = await proxyTo();
    const probe = await dial(port);
    probe.socket.write('before');
    await probe.waitFor(6);
    const res = await http(target.url, 'POST', `/proxies/${name}`, { enabled: false });
    expect(res.status).toBe(200);
    const closed = await probe.waitClosed(1000);
    expect(closed).toBeDefined();
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    expect(probe.text()).toBe('before');
    await http(target.url, 'POST', `/proxies/${name}`, { enabled: true });
    expect(await roundTrip(port)).toBeLessThan(1000);
  });
  it('disable cuts a connection whose data is held in a toxic: none of it arrives later', async () => {
    const { name, port } = await proxyTo([{ type: 'latency', attributes: { latency: 300 } }]);
    const probe = await dial(port);
    probe.socket.write('held');
    await sleep(50);
    await http(target.url, 'POST', `/proxies/${name}`, { enabled: false });
    await probe.waitClosed(1000);
    await sleep(400);
    expect(probe.received).toBe(0);
    expect((await http(target.url, 'GET', `/proxies/${name}/toxics`)).json).toHaveLength(1);
  });
  it('delete closes open connections', async () => {
    const { name, port } = await proxyTo();
    const probe = await dial(port);
    probe.socket.write('x');
    await probe.waitFor(1);
    expect((await http(target.url, 'DELETE', `/proxies/${name}`)).status).toBe(204);
    await probe.waitClosed(1000);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });
  it('an unreachable upstream: the client is accepted, then closed at once', async () => {
    const dead = await startServer(() => {});
    const address = dead.address;
    await dead.close();
    const { port } = await proxyTo([], address);
    const probe = await dial(port);
    const closed = await probe.waitClosed(2000);
    expect(closed.error === undefined || closed.error === 'ECONNRESET').toBe(true);
    expect(probe.received).toBe(0);
  });
  it('when the upstream closes, the client connection closes too', async () => {
    const closer = await startServer((s) => s.end('bye'));
    const { port } = await proxyTo([], closer.address);
    const probe = await dial(port);
    await probe.waitClosed(2000);
    expect(probe.text()).toBe('bye');
    expect(probe.ended).toBe(true);
    await closer.close();
  });
});

describe('back-pressure', () => {
  it('a reader that never reads stops the writer after a bounded amount', async () => {
    const stuck = await startServer((s) => s.pause());
    const { port } = await proxyTo([{ type: 'latency', attributes: { latency: 1 } }], stuck.address);
    const probe = await dial(port);
    const chunk = Buffer.alloc(64 * 1024);
    let written = 0;
    const deadline = performance.now() + 1500;
    while (performance.now() < deadline) {
      if (probe.socket.write(chunk)) written += chunk.length;
      else {
        written += chunk.length;
        const drained = await Promise.race([
          new Promise((r) => probe.socket.once('drain', () => r(true))),
          sleep(300).then(() => false),
        ]);
        if (!drained) break;
      }
    }
    // Kernel buffers on three sockets plus the proxy's bounded buffers: tens of MB at most.
    expect(written).toBeLessThan(64 * 1024 * 1024);
    probe.socket.destroy();
    await stuck.close();
  });
});
