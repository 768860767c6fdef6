// `npm run cleanup [-- --all] [--images]`: remove the project's leftovers (processes of dead
// runs, Docker resources by label only); runs in progress are kept unless `--all`.
import { runMain } from './run-main.js';
import { cleanupAll, cleanupStale, removeProjectImages, type CleanupReport } from '../runtime/docker/cleanup.js';
import { resolve } from 'node:path';
import { reapStaleProcesses } from '../runtime/process/pidfile.js';
import { detectDocker } from '../runtime/docker/engine.js';
import { parseCleanupArgs } from './cleanup-args.js';

async function main(): Promise<number> {
  const values = parseCleanupArgs(process.argv.slice(2));
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
  const report: CleanupReport = values.all ? await cleanupAll(docker) : await cleanupStale(docker);
  const what = values.all ? '' : 'stale ';
  console.log(
    `removed ${report.containers.length} ${what}container(s), ${report.networks.length} network(s), ` +
      `${report.volumes.length} volume(s)${report.runs.length ? ` of run(s) ${report.runs.join(', ')}` : ''}` +
      `${values.all ? ' (--all: runs in progress included)' : ' (runs in progress kept; --all removes them too)'}`,
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
