// The standalone Toxiproxy-compatible server: `npm run toxiproxy -- [--host H] [--port P]`.
// With `--parent-pid` it is some harness's child: it exits when that process is gone (even
// SIGKILLed), and it ignores SIGINT. The terminal's Ctrl-C goes to the whole process group;
// the harness must heal the links through this server before it stops it (with SIGTERM).
import { parseArgs } from 'node:util';
import { ConfigError, RaftChaosError } from '../../../common/src/errors.js';
import { parseErrorText } from '../../../common/src/option-table.js';
import { startToxiproxyServer } from '../toxiproxy/server.js';
import { commandPrefix } from './run-main.js';

const USAGE = 'usage: toxiproxy [--host HOST] [--port PORT] [--parent-pid PID]   (default localhost:8474)';

function readOptions(argv: string[]): { host: string; port: number; parentPid?: number } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string', default: 'localhost' },
        port: { type: 'string', default: '8474' },
        // Exit when this process is gone: the harness runs the server as its child and a
        // harness killed with SIGKILL must not leave it behind. Also: ignore SIGINT (see above).
        'parent-pid': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new ConfigError(`${parseErrorText(error, ['host', 'port', 'parent-pid', 'help'])}\n${USAGE}`, { cause: error });
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new ConfigError(`--port must be 0-65535, got ${values.port}\n${USAGE}`);
  const parent = values['parent-pid'];
  if (parent !== undefined && !/^\d+$/.test(parent)) throw new ConfigError(`--parent-pid must be a pid, got ${parent}\n${USAGE}`);
  return { host: values.host, port, ...(parent !== undefined ? { parentPid: Number(parent) } : {}) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function main(): Promise<void> {
  const { parentPid, ...listen } = readOptions(process.argv.slice(2));
  // A child leaves Ctrl-C to its parent, which heals the links here and then stops it.
  if (parentPid !== undefined) process.on('SIGINT', () => {});
  const server = await startToxiproxyServer({ ...listen, onWarning: (message) => console.warn(`WARN ${message}`) });
  if (parentPid !== undefined) {
    setInterval(() => {
      if (!alive(parentPid)) {
        console.log(`Parent ${parentPid} is gone, shutting down`);
        void server.close().finally(() => process.exit(0));
      }
    }, 500).unref();
  }
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`Received ${signal}, shutting down`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  if (parentPid === undefined) process.once('SIGINT', stop);
  // Last, so whoever waits for it may signal at once. Same wording as the real server's
  // start-up line, so scripts waiting for it keep working.
  console.log(`Starting Toxiproxy HTTP server on ${server.url.replace('http://', '')}`);
}

main().catch((error: unknown) => {
  if (error instanceof RaftChaosError) console.error(`${commandPrefix('toxiproxy')} ${error.message}`);
  else console.error(`${commandPrefix('toxiproxy')} unexpected error:`, error);
  process.exit(2);
});
