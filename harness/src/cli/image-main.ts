// `npm run image [-- --force] [--method offline|dockerfile]`: build (or reuse) the node image.
import { ConfigError, EnvironmentError } from '../../../common/src/errors.js';
import { parseOptions, runMain } from './run-main.js';
import { detectDocker } from '../runtime/docker/engine.js';
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
  const found = await detectDocker(values.socket === undefined ? {} : { socketPath: values.socket });
  // Not the runs' advice (`use --runtime process`): this command has no --runtime.
  if (!found.available) throw new EnvironmentError(noEngineForImage(found.where, found.error.message), { cause: found.error });
  const { docker } = found;
  const image = await ensureNodeImage(docker, {
    force: values.force ?? false,
    ...(values.method === undefined ? {} : { method: values.method as ImageMethod }),
  });
  console.log(`${image.tag} (${image.method}, ${image.built ? 'built' : 'reused'} in ${image.ms} ms)`);
  return 0;
}

/** Why there is no image to build, and what to do, in this command's terms. */
function noEngineForImage(where: string, why: string): string {
  const detail = /\[([^\]]+)\]$/.exec(why)?.[1];
  return (
    `no Docker engine answers at ${where}${detail ? ` [${detail}]` : ''}; start one (e.g. \`bash .ci/docker.sh\`) ` +
    'or name it with --socket PATH or DOCKER_HOST. Only the Docker runtime needs this image: ' +
    '`npm run scenario <name> -- --runtime process` (or sim) runs without it'
  );
}

// dockerode keeps its socket open: end the process when done.
runMain('image', main, { exit: true });
