export { DEFAULT_DOCKER_SOCKET, detectDocker, dockerAvailable, dockerClient, engineAddress, noEngineMessage, requireDocker } from './engine.js';
export type { DockerDetection, EngineAddress, EngineOptions } from './engine.js';
export {
  BASE_IMAGE_REPO,
  DOCKERFILE_BASE,
  ensureBaseImage,
  ensureNodeImage,
  IMAGE_NODE_MAIN,
  IMAGE_TOXIPROXY_MAIN,
  imageExists,
  NODE_IMAGE_REPO,
} from './image.js';
export type { EnsureImageOptions, ImageMethod, NodeImage } from './image.js';
export { bundleProject, ensureToxiproxyBundle, TOXIPROXY_BUNDLE, type ProjectBundles } from '../../build/bundles.js';
export { cleanupAll, cleanupStale, harnessAlive, removeProjectImages, removeRunResources } from './cleanup.js';
export type { CleanupReport, StaleOptions } from './cleanup.js';
export { DockerCluster } from './cluster.js';
export { DockerRuntime, dockerRuntime, NODE_PORT, TOXIPROXY_ALIAS, type DockerRuntimeOptions } from './runtime.js';
export { OFFICIAL_TOXIPROXY_REPOS, TOXIPROXY_API_PORT } from './toxiproxy-container.js';
export * from './labels.js';
