export { directedLinks, linkProxyName, parseHostPort } from './link-names.js';
export { LinkProxies, deleteQuietly, removeRunProxies, type LinkProxiesOptions, type LinkProxy } from './link-proxies.js';
export { toxicAttributes, toxicBody, type LinkToxic, type Stream } from './link-toxic.js';
export {
  ToxiproxyPartitioner,
  createPartitioner,
  type Partitioner,
  type ProxiedCluster,
  type Link,
  type LinkToxicHandle,
  type PartitionTarget,
  type PartitionerOptions,
} from './partitioner.js';
export { patchProxy, patchToxic, type ProxyPatch, type ToxicPatch } from './toxiproxy-patch.js';
export { openToxiproxy, type ToxiproxyEndpoint, type ToxiproxyEndpointOptions } from './toxiproxy-endpoint.js';
