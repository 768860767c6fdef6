import { ConfigError, StorageError } from '../../common/src/errors.js';
import { parseConfig, USAGE } from './config.js';
import { createLogger } from './server/logger.js';
import { RaftNode } from './server/raft-node.js';

/**
 * The node's entry point: parse configuration (exit 2 on a bad option), load durable state
 * (exit 1 on a corrupt or unreadable state file), serve until SIGTERM, SIGINT or SIGHUP (exit 0).
 */
async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`raft-chaos node: configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const config = parsed.config;
  const log = createLogger(config.id, config.logLevel);
  const die = (err: Error, code: number): never => {
    log.fatal({ err }, err.message);
    process.stderr.write(`raft-chaos node ${config.id}: ${err.name}: ${err.message}\n`);
    process.exit(code);
  };
  const node = new RaftNode(config, log, (err) => die(err, 1));
  try {
    await node.start();
  } catch (e) {
    if (e instanceof StorageError) die(e, 1);
    die(e instanceof Error ? e : new Error(String(e)), 1);
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    node.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGHUP', () => shutdown('SIGHUP'));
}

void main();
