// The standalone program, started as documented (`npm run toxiproxy -- --port P`, here through
// the same tsx entry point on a free port), driven only by toxiproxy-node-client.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dial, portOf, startEcho, type TestServer, tryConnect } from '../toxiproxy/conformance/sockets.js';
import { freePort } from '../runtime/process/ports.js';

let child: ChildProcess;
let url: string;
let echo: TestServer;

/** `npm run toxiproxy -- --port <free> ...extra`, once it has printed its start-up line. */
async function startMain(extra: string[] = []): Promise<{ child: ChildProcess; port: number; out: string }> {
  const port = await freePort();
  const main = fileURLToPath(new URL('./toxiproxy-main.ts', import.meta.url));
  const started = spawn(process.execPath, ['--import', 'tsx', main, '--port', String(port), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    started.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Starting Toxiproxy HTTP server on')) resolve();
    });
    started.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`no start-up line within 15 s: ${out}`)), 15_000).unref();
  });
  return { child: started, port, out };
}

beforeAll(async () => {
  echo = await startEcho();
  const started = await startMain();
  child = started.child;
  expect(started.out).toContain(`127.0.0.1:${started.port}`);
  url = `http://localhost:${started.port}`;
});

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await echo.close();
});

describe('standalone toxiproxy (npm run toxiproxy)', () => {
  it('node client: create, each toxic added and removed, disable/enable, reset', async () => {
    const client = new Toxiproxy(url);
    expect(await client.getVersion()).toMatch(/"version"/);
    let proxy = await client.createProxy({ name: 'standalone', listen: 'localhost:0', upstream: echo.address });
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    const port = portOf(proxy.listen);
    const types = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'noop'];
    const attributes: Record<string, object> = { slicer: { average_size: 10, size_variation: 1, delay: 0 }, bandwidth: { rate: 1000 } };
    for (const type of types) {
      const toxic = await proxy.addToxic({ name: `x_${type}`, type: type as never, stream: 'downstream', toxicity: 1, attributes: attributes[type] ?? {} });
      expect((await proxy.getToxic(toxic.name)).type).toBe(type);
      await toxic.remove();
    }
    await proxy.addToxic({ name: 'kept', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 10, jitter: 0 } });
    proxy = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(proxy.enabled).toBe(false);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    proxy = await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect(proxy.enabled).toBe(true);
    const probe = await dial(port);
    probe.socket.write('ping');
    await probe.waitFor(4);
    probe.socket.destroy();
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await client.reset();
    const after = await client.get('standalone');
    expect(after.enabled).toBe(true);
    expect((await after.getToxic('kept').catch((e: Error) => e)) instanceof Error).toBe(true);
    await after.remove();
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('stops on SIGINT (Ctrl-C) when standalone; as a harness\'s child (--parent-pid) leaves Ctrl-C to the harness', async () => {
    const standalone = await startMain();
    standalone.child.kill('SIGINT');
    expect((await once(standalone.child, 'exit'))[0]).toBe(0);

    const asChild = await startMain(['--parent-pid', String(process.pid)]);
    const exited = once(asChild.child, 'exit');
    asChild.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    expect(await new Toxiproxy(`http://127.0.0.1:${asChild.port}`).getVersion()).toMatch(/"version"/);
    asChild.child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  });
});
