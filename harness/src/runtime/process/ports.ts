import { createServer, type Server } from 'node:net';

/**
 * Ports held open until `release()`, so nothing else (not even Toxiproxy's own ephemeral
 * listeners) can take them between choosing and using them. Release just before the nodes bind.
 */
export interface PortReservation {
  readonly ports: number[];
  release(): Promise<void>;
}

/** Reserve `count` distinct free TCP ports on `host` (the kernel picks them). */
export async function reservePorts(count: number, host = '127.0.0.1'): Promise<PortReservation> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenEphemeral(host));
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  let released: Promise<void> | undefined;
  return { ports, release: () => (released ??= Promise.all(servers.map(closeServer)).then(() => undefined)) };
}

/** One free port on `host`, released at once (for a retry after EADDRINUSE). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const reservation = await reservePorts(1, host);
  await reservation.release();
  return reservation.ports[0]!;
}

function listenEphemeral(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
