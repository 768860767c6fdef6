import { pino, type Logger } from 'pino';

/**
 * The node's logger: pino JSON lines on stdout, no transports or worker threads (the node is
 * bundled into one file). Every line carries the node id.
 */
export function createLogger(id: string, level: string): Logger {
  return pino({ level, base: { node: id, pid: process.pid } }, pino.destination({ dest: 1, sync: true }));
}
