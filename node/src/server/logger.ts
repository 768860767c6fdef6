import { writeSync } from 'node:fs';
import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** Whether the logger writes readable lines (a terminal) or pino JSON lines (anything else). */
export type LogFormat = 'pretty' | 'json';

/** `pretty` when stdout is a terminal, else `json` (the harness reads the JSON lines). */
export function defaultLogFormat(stdoutIsTty: boolean | undefined = process.stdout.isTTY): LogFormat {
  return stdoutIsTty ? 'pretty' : 'json';
}

/**
 * A synchronous destination that writes each pino JSON line to `fd` as pino-pretty renders it
 * (time, level, node, message, then the fields). Synchronous, in this thread: no transport or
 * worker (the node is bundled into one file), and a fatal line is out before process.exit.
 */
export function prettyDestination(fd = 1, colorize = true): DestinationStream {
  const render = prettyFactory({ colorize, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' });
  return {
    write(line: string): void {
      writeSync(fd, render(line));
    },
  };
}

/**
 * The node's logger: every line carries the node id. JSON lines on stdout when stdout is not a
 * terminal (as under the harness, which reads them); readable pino-pretty lines on a terminal.
 */
export function createLogger(id: string, level: string, format: LogFormat = defaultLogFormat()): Logger {
  const dest = format === 'pretty' ? prettyDestination(1) : pino.destination({ dest: 1, sync: true });
  return pino({ level, base: { node: id, pid: process.pid } }, dest);
}
