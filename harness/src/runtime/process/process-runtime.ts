import type { ClusterSpec, Runtime } from '../types.js';
import { ProcessCluster, type ProcessRuntimeOptions } from './process-cluster.js';

/**
 * The local-process runtime (`process`): every node a child process of the harness on
 * 127.0.0.1, started from the bundled node (`dist/node.mjs`) with execa, its data directory
 * and log under the spec's workDir, every link through the embedded Toxiproxy (or the spec's
 * `toxiproxyUrl`). Needs nothing but Node.
 */
export class ProcessRuntime implements Runtime {
  readonly name = 'process';
  constructor(private readonly options: ProcessRuntimeOptions = {}) {}

  /** Start a cluster; see `ProcessCluster.start`. Close it (or `await using` it) when done. */
  start(spec: ClusterSpec): Promise<ProcessCluster> {
    return ProcessCluster.start(spec, this.options);
  }
}

/** The local-process runtime with these options (all optional). */
export function createProcessRuntime(options: ProcessRuntimeOptions = {}): ProcessRuntime {
  return new ProcessRuntime(options);
}
