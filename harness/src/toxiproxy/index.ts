export { startToxiproxyServer, type ToxiproxyServer, type ToxiproxyServerOptions } from './server.js';
export { TOXIPROXY_VERSION } from './api/routes.js';
export { toxicTypes } from './toxic-kind.js';
