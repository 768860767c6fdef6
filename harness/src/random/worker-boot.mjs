// Entry of the simulated search's worker threads (random/workers.ts): registers tsx in this
// thread (a worker does not inherit the parent's `--import tsx` hooks for its own entry on
// Node 20), then loads the TypeScript module named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
