// `npm run image [-- --force] [--method offline|dockerfile]`: build (or reuse) the node image.
import { ConfigError } from '../../../common/src/errors.js';
import { parseOptions, runMain } from './run-main.js';
import { requireDocker } from '../runtime/docker/engine.js';
import { ensureNodeImage, type ImageMethod } from '../runtime/docker/image.js';

const USAGE = `usage: npm run image -- [--force] [--method offline|dockerfile] [--socket PATH]
  Builds raft-chaos-node:<content-hash> (also tagged :latest) for the Docker runtime and
  docker-compose.yml; reuses it when the bundled sources are unchanged.
  --force            rebuild even when an image for the current sources exists
  --method M         dockerfile: node/Dockerfile (needs node:20-slim locally and the npm registry);
                     offline: FROM scratch with this host's node binary (default when node:20-slim is absent)
  --socket PATH      Docker engine socket (default: DOCKER_HOST if set, else /var/run/docker.sock)`;

async function main(): Promise<number> {
  const values = parseOptions(
    process.argv.slice(2),
    {
      force: { type: 'boolean' },
      method: { type: 'string' },
      socket: { type: 'string' },
    },
    USAGE,
  );
  if (!values) return 0;
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

// dockerode keeps its socket open: end the process when done.
runMain('image', main, { exit: true });
