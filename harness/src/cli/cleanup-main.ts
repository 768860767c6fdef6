// `npm run cleanup [-- --stale] [--images]`: remove the project's Docker leftovers, by label only.
import { parseOptions, runMain } from './run-main.js';
import { cleanupAll, cleanupStale, removeProjectImages, type CleanupReport } from '../runtime/docker/cleanup.js';
import { resolve } from 'node:path';
import { reapStaleProcesses } from '../runtime/process/pidfile.js';
import { detectDocker } from '../runtime/docker/engine.js';

const USAGE = `usage: npm run cleanup -- [--stale] [--images] [--socket PATH]
  Kills node processes left under reports/ by harness runs that died, then removes every container, network and volume labelled raft-chaos=1 (runs in progress included).
  Nothing without the label is touched; containers started by docker-compose are not labelled so.
  --stale        only resources of runs whose harness is gone (or older than 24 h)
  --images       also remove the project's images (raft-chaos-node, raft-chaos-base)
  --socket PATH  Docker engine socket (default: DOCKER_HOST if set, else /var/run/docker.sock)`;

async function main(): Promise<number> {
  const values = parseOptions(
    process.argv.slice(2),
    {
      stale: { type: 'boolean' },
      images: { type: 'boolean' },
      socket: { type: 'string' },
    },
    USAGE,
  );
  if (!values) return 0;
  // Local processes first: node processes of runs whose harness died (found by their pidfiles).
  const { reaped } = reapStaleProcesses(resolve('reports'));
  console.log(`killed ${reaped.length} node process(es) left by dead harness runs${reaped.length ? ':' : ''}`);
  for (const p of reaped) console.log(`  ${p.runId} ${p.node} pid ${p.pid}`);
  const found = await detectDocker(values.socket === undefined ? {} : { socketPath: values.socket });
  if (!found.available) {
    console.log(`Docker: nothing to clean (${found.reason})`);
    return 0;
  }
  const { docker } = found;
  const report: CleanupReport = values.stale ? await cleanupStale(docker) : await cleanupAll(docker);
  const what = values.stale ? 'stale ' : '';
  console.log(
    `removed ${report.containers.length} ${what}container(s), ${report.networks.length} network(s), ` +
      `${report.volumes.length} volume(s)${report.runs.length ? ` of run(s) ${report.runs.join(', ')}` : ''}`,
  );
  for (const name of [...report.containers, ...report.networks, ...report.volumes]) console.log(`  ${name}`);
  if (values.images) {
    const images = await removeProjectImages(docker);
    console.log(`removed ${images.length} image(s)${images.length ? `: ${images.join(', ')}` : ''}`);
  }
  return 0;
}

// dockerode keeps its socket open: end the process when done.
runMain('cleanup', main, { exit: true });
