export { ensureNodeBundle, isBundleFresh, DEFAULT_BUNDLE } from '../../build/bundles.js';
export { nodeArgs, nodeEnv, type NodeArgsInput } from './node-args.js';
export { PortInUseError } from './node-process.js';
export { reapStaleProcesses, isAlive, PIDFILE_NAME, type ReapedProcess } from './pidfile.js';
export { ProcessCluster, type ProcessRuntimeOptions } from './process-cluster.js';
export { ProcessRuntime, createProcessRuntime } from './process-runtime.js';
