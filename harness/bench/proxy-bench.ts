import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startToxiproxyServer } from '../src/toxiproxy/index.js';

/** Options of the proxy benchmark; every field has a default. */
export interface ProxyBenchOptions {
  /** Seconds of bulk transfer per throughput measurement, split in alternating rounds (default 1.5). */
  readonly seconds?: number;
  /** Request/response round trips per latency measurement (default 3000). */
  readonly roundTrips?: number;
  /** Where the proxy runs: its own process (as deployed standalone) and/or this process. */
  readonly modes?: ReadonlyArray<'process' | 'in-process'>;
}

/** Figures of one mode: throughput ratio and added latency (ms) of the proxy vs direct. */
export interface ProxyBenchResult {
  readonly mode: string;
  readonly directMBps: number;
  readonly proxiedMBps: number;
  readonly ratio: number;
  readonly directMedianMs: number;
  readonly directP99Ms: number;
  readonly addedMedianMs: number;
  readonly addedP99Ms: number;
}

const ROUNDS = 3;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const REQUEST = Buffer.alloc(64, 0x62);

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function dial(port: number): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await once(socket, 'connect');
  return socket;
}

/** Bytes per second moved from a writer to a discarding reader through `port` for `seconds`. */
async function throughput(port: number, sink: { received: number }, seconds: number): Promise<number> {
  const socket = await dial(port);
  let running = true;
  const pump = (): void => {
    while (running && socket.write(CHUNK));
  };
  socket.on('drain', pump);
  pump();
  await new Promise((r) => setTimeout(r, 100)); // warm up
  const startBytes = sink.received;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const bytes = sink.received - startBytes;
  const elapsed = (performance.now() - start) / 1000;
  running = false;
  socket.destroy();
  return bytes / elapsed;
}

/** Round-trip times (ms) of a 64-byte request answered by a 64-byte echo over one connection. */
async function roundTrips(port: number, count: number): Promise<number[]> {
  const socket = await dial(port);
  const times: number[] = [];
  await new Promise<void>((resolve) => {
    let got = 0;
    let sent = 0;
    let t0 = 0;
    const send = (): void => {
      t0 = performance.now();
      socket.write(REQUEST);
    };
    socket.on('data', (data: Buffer) => {
      got += data.length;
      if (got < REQUEST.length) return;
      got -= REQUEST.length;
      sent += 1;
      if (sent > 200) times.push(performance.now() - t0); // first 200 warm up
      if (sent >= count + 200) resolve();
      else send();
    });
    send();
  });
  socket.destroy();
  return times;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function startChildProxy(): Promise<{ url: string; stop: () => Promise<void> }> {
  const main = fileURLToPath(new URL('../src/cli/toxiproxy-main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, '--host', '127.0.0.1', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /server on (\S+)/.exec(out);
      if (m) resolve(`http://${m[1]}`);
    });
    child.once('exit', (code) => reject(new Error(`toxiproxy child exited with ${code}: ${out}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function measure(mode: string, url: string, sinkPort: number, echoPort: number, sink: { received: number }, seconds: number, count: number): Promise<ProxyBenchResult> {
  const client = new Toxiproxy(url);
  const bulk = await client.createProxy({ name: 'bench_bulk', listen: '127.0.0.1:0', upstream: `127.0.0.1:${sinkPort}` });
  const echo = await client.createProxy({ name: 'bench_echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` });
  const portOf = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));
  try {
    // Alternate direct and proxied rounds so warm-up and machine noise hit both alike.
    let direct = 0;
    let proxied = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      direct += await throughput(sinkPort, sink, seconds / ROUNDS);
      proxied += await throughput(portOf(bulk.listen), sink, seconds / ROUNDS);
    }
    const d = (await roundTrips(echoPort, count)).sort((a, b) => a - b);
    const p = (await roundTrips(portOf(echo.listen), count)).sort((a, b) => a - b);
    return {
      mode,
      directMBps: direct / 1e6,
      proxiedMBps: proxied / 1e6,
      ratio: proxied / direct,
      directMedianMs: quantile(d, 0.5),
      directP99Ms: quantile(d, 0.99),
      addedMedianMs: quantile(p, 0.5) - quantile(d, 0.5),
      addedP99Ms: quantile(p, 0.99) - quantile(d, 0.99),
    };
  } finally {
    await bulk.remove();
    await echo.remove();
  }
}

/**
 * Measures, side by side in one run on loopback: bulk throughput through a toxic-free proxy
 * divided by direct throughput, and the median and p99 latency a proxy adds to a small
 * request/response on a keep-alive connection. Prints a table and returns the figures.
 * Goals: ratio >= 0.5, added median <= 0.2 ms.
 */
export async function proxyBench(options: ProxyBenchOptions = {}): Promise<ProxyBenchResult[]> {
  const seconds = options.seconds ?? 1.5;
  const count = options.roundTrips ?? 3000;
  const modes = options.modes ?? ['process', 'in-process'];
  const sink = { received: 0 };
  const sinkServer = createServer((s) => s.on('data', (d: Buffer) => (sink.received += d.length)).on('error', () => {}));
  const echoServer = createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d: Buffer) => s.write(d)).on('error', () => {});
  });
  const sinkPort = await listen(sinkServer);
  const echoPort = await listen(echoServer);
  const results: ProxyBenchResult[] = [];
  try {
    for (const mode of modes) {
      const proxy = mode === 'process' ? await startChildProxy() : await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
      try {
        results.push(await measure(mode === 'process' ? 'proxy in its own process' : 'proxy in this process', proxy.url, sinkPort, echoPort, sink, seconds, count));
      } finally {
        'stop' in proxy ? await proxy.stop() : await proxy.close();
      }
    }
  } finally {
    sinkServer.close();
    echoServer.close();
  }
  for (const r of results) {
    const ok = (b: boolean): string => (b ? 'ok' : 'MISSED');
    console.log(`${r.mode}:`);
    console.log(
      `  throughput  direct ${r.directMBps.toFixed(0)} MB/s, proxied ${r.proxiedMBps.toFixed(0)} MB/s, ratio ${r.ratio.toFixed(2)} (goal >= 0.5: ${ok(r.ratio >= 0.5)})`,
    );
    console.log(
      `  latency     direct median ${(r.directMedianMs * 1000).toFixed(0)} µs p99 ${(r.directP99Ms * 1000).toFixed(0)} µs; added median ${(r.addedMedianMs * 1000).toFixed(0)} µs (goal <= 200: ${ok(r.addedMedianMs <= 0.2)}), added p99 ${(r.addedP99Ms * 1000).toFixed(0)} µs`,
    );
  }
  return results;
}
