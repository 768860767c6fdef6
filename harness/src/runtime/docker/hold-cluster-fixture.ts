// Test fixture (cleanup.int.test.ts): start a one-node Docker cluster for run id argv[2], print
// READY, then wait to be signalled. A harness in miniature, to be Ctrl-C'd or SIGKILLed.
import { DockerRuntime } from './runtime.js';
import { testSettings } from './test-support.js';

const runId = process.argv[2]!;
const cluster = await new DockerRuntime({ onProgress: () => {}, cleanupStale: false }).start({
  runId,
  nodes: ['n1'],
  settings: testSettings(),
  workDir: '/tmp',
});
console.log(`READY ${cluster.runId}`);
setInterval(() => {}, 1 << 30);
