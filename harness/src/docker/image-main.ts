// `npm run image [-- --force] [--method offline|dockerfile]`: build (or reuse) the node image.
import { parseArgs } from 'node:util';
import { ConfigError, RaftChaosError } from '../../../common/src/errors.js';
import { requireDocker } from './engine.js';
import { ensureNodeImage, type ImageMethod } from './image.js';

const USAGE = `usage: npm run image -- [--force] [--method offline|dockerfile] [--socket PATH]
  Builds raft-chaos-node:<content-hash> (also tagged :latest) for the Docker runtime and
  docker-compose.yml; reuses it when the bundled sources are unchanged.
  --force            rebuild even when an image for the current sources exists
  --method M         dockerfile: node/Dockerfile (needs node:20-slim locally and the npm registry);
                     offline: FROM scratch with this host's node binary (default when node:20-slim is absent)
  --socket PATH      Docker engine socket (default /var/run/docker.sock)`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        force: { type: 'boolean' },
        method: { type: 'string' },
        socket: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.method !== undefined && values.method !== 'offline' && values.method !== 'dockerfile') {
    throw new ConfigError(`--method must be offline or dockerfile, got ${JSON.stringify(values.method)}\n${USAGE}`);
  }
  const { docker } = await requireDocker(values.socket === undefined ? {} : { socketPath: values.socket });
  const image = await ensureNodeImage(docker, {
    force: values.force ?? false,
    ...(values.method === undefined ? {} : { method: values.method as ImageMethod }),
  });
  console.log(`${image.tag} (${image.method}, ${image.built ? 'built' : 'reused'} in ${image.ms} ms)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof RaftChaosError ? `${err.name}: ${err.message}` : err);
    process.exit(2);
  },
);
