import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../common/src/errors.js';
import { parseMsRange, parseWholeNumber } from '../../common/src/cli-numbers.js';
import { defaultRpcTimeout, ELECTION_DEFAULTS, type ElectionSettings } from '../../common/src/election-settings.js';
import { isBugName, type BugName } from './core/bugs.js';
import { parseDiskMode, REAL_DISK_MODE, type DiskMode } from './disk-mode.js';

/** Where this node sends RPCs to one other member. */
export interface PeerAddress {
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

/** A node's complete, validated configuration (node/API.md lists flags, env and defaults). */
export interface NodeConfig extends Readonly<ElectionSettings> {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly peers: readonly PeerAddress[];
  readonly dataDir: string;
  readonly bugs: readonly BugName[];
  readonly seed: number;
  readonly seedGiven: boolean;
  readonly logLevel: string;
  /** The disk's test mode (`--disk`): the plain disk unless a harness asks for a lossy or slow one. */
  readonly disk: DiskMode;
}

/** The result of parsing: run with a config, or print help. */
export type ParsedArgs = { readonly help: true } | { readonly help: false; readonly config: NodeConfig };

/** Usage text for --help. */
export const USAGE = `Usage: node main --id ID --port P --data-dir DIR [options]

  --id ID                    this node's id ([A-Za-z0-9_.-]{1,64})          env NODE_ID
  --host H                   listen address (default 127.0.0.1)             env HOST
  --port P                   listen port, 0 = ephemeral                     env PORT
  --peers id=host:port,...   the other members of the cluster               env PEERS
  --data-dir DIR             where term and vote are kept                   env DATA_DIR
  --election-timeout MIN-MAX election timeout range, ms (default 150-300)   env ELECTION_TIMEOUT
  --heartbeat-interval MS    leader heartbeat period (default 50)           env HEARTBEAT_INTERVAL
  --rpc-timeout MS           per-RPC deadline (default min(100, min/2))     env RPC_TIMEOUT
  --pre-vote/--no-pre-vote   Pre-Vote (default on)                          env PRE_VOTE
  --check-quorum/--no-check-quorum  CheckQuorum (default on)                env CHECK_QUORUM
  --bug NAME                 deliberate bug, repeatable                     env BUGS=a,b
  --seed N                   seed of election-timeout randomness            env SEED
  --log-level L              pino level (default info)                      env LOG_LEVEL
  --disk MODE                test mode of the disk: real (default), lossy    env DISK
                             (unsynced writes die with the process, as in a
                             power cut), sync-delay=MS (slow fsync), faults
                             (refuses while DATA_DIR.disk-fault says full
                             or eio); a,b
  --help                     show this text
`;

/** Node ids: `[A-Za-z0-9_.-]{1,64}`. */
export const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Parses flags (which win) and environment into a NodeConfig. Throws ConfigError naming the
 * option and the bad value. Pure apart from `randomSeed`, called only when no seed is given.
 */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  randomSeed: () => number = () => randomInt(0, 2 ** 31 - 1),
): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        id: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        peers: { type: 'string' },
        'data-dir': { type: 'string' },
        'election-timeout': { type: 'string' },
        'heartbeat-interval': { type: 'string' },
        'rpc-timeout': { type: 'string' },
        'pre-vote': { type: 'boolean' },
        'no-pre-vote': { type: 'boolean' },
        'check-quorum': { type: 'boolean' },
        'no-check-quorum': { type: 'boolean' },
        bug: { type: 'string', multiple: true },
        seed: { type: 'string' },
        'log-level': { type: 'string' },
        disk: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}. Run with --help for the options.`, { cause: e });
  }
  if (values.help) return { help: true };
  const pick = (flag: string, envName: string): [string | undefined, string] => {
    const v = (values as Record<string, unknown>)[flag];
    if (typeof v === 'string') return [v, `--${flag}`];
    return [env[envName] === '' ? undefined : env[envName], envName];
  };

  const [idRaw, idName] = pick('id', 'NODE_ID');
  const id = required(idRaw, `--id / NODE_ID`);
  if (!ID_PATTERN.test(id)) throw new ConfigError(`${idName}: "${id}" is not a valid id ([A-Za-z0-9_.-]{1,64})`);

  const [hostRaw] = pick('host', 'HOST');
  const host = hostRaw ?? '127.0.0.1';
  const [portRaw, portName] = pick('port', 'PORT');
  const port = parseWholeNumber(required(portRaw, '--port / PORT'), portName, 0, 65535);

  const [peersRaw, peersName] = pick('peers', 'PEERS');
  const peers = parsePeers(peersRaw ?? '', peersName, id);

  const [dirRaw] = pick('data-dir', 'DATA_DIR');
  const dataDir = required(dirRaw, '--data-dir / DATA_DIR');

  const [etRaw, etName] = pick('election-timeout', 'ELECTION_TIMEOUT');
  const [electionTimeoutMin, electionTimeoutMax] = parseMsRange(etRaw ?? `${ELECTION_DEFAULTS.electionTimeoutMin}-${ELECTION_DEFAULTS.electionTimeoutMax}`, etName, { least: 1, most: 3_600_000 });

  const [hbRaw, hbName] = pick('heartbeat-interval', 'HEARTBEAT_INTERVAL');
  const heartbeatInterval = parseWholeNumber(hbRaw ?? String(ELECTION_DEFAULTS.heartbeatInterval), hbName, 1, 3_600_000);
  if (heartbeatInterval >= electionTimeoutMin) {
    throw new ConfigError(
      `${hbName}: ${heartbeatInterval} ms must be below the election timeout minimum (${electionTimeoutMin} ms); use --bug slow-heartbeat to test slow heartbeats`,
    );
  }

  const [rpcRaw, rpcName] = pick('rpc-timeout', 'RPC_TIMEOUT');
  const rpcTimeout =
    rpcRaw === undefined ? defaultRpcTimeout(electionTimeoutMin) : parseWholeNumber(rpcRaw, rpcName, 1, 3_600_000);

  const preVote = flagPair(values['pre-vote'], values['no-pre-vote'], '--pre-vote', env.PRE_VOTE, 'PRE_VOTE');
  const checkQuorum = flagPair(values['check-quorum'], values['no-check-quorum'], '--check-quorum', env.CHECK_QUORUM, 'CHECK_QUORUM');

  const bugList = values.bug ?? (env.BUGS ? env.BUGS.split(',').map((b) => b.trim()).filter(Boolean) : []);
  const bugName = values.bug ? '--bug' : 'BUGS';
  for (const b of bugList) {
    if (!isBugName(b)) throw new ConfigError(`${bugName}: unknown bug "${b}"; see node/API.md for the list`);
  }
  const bugs = [...new Set(bugList)] as BugName[];

  const [seedRaw, seedName] = pick('seed', 'SEED');
  const seed = seedRaw === undefined ? randomSeed() : parseWholeNumber(seedRaw, seedName, 0, 2 ** 32 - 1);

  const [levelRaw, levelName] = pick('log-level', 'LOG_LEVEL');
  const logLevel = levelRaw ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`${levelName}: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);

  const [diskRaw, diskName] = pick('disk', 'DISK');
  const disk = diskRaw === undefined ? REAL_DISK_MODE : parseDiskMode(diskRaw, diskName);

  return {
    help: false,
    config: {
      id, host, port, peers, dataDir, electionTimeoutMin, electionTimeoutMax, heartbeatInterval, rpcTimeout,
      preVote, checkQuorum, bugs, seed, seedGiven: seedRaw !== undefined, logLevel, disk,
    },
  };
}

function required(v: string | undefined, name: string): string {
  if (v === undefined || v === '') throw new ConfigError(`${name} is required`);
  return v;
}

function parsePeers(raw: string, name: string, self: string): PeerAddress[] {
  const peers: PeerAddress[] = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=]+)=(.+):(\d+)$/.exec(part);
    if (!m) throw new ConfigError(`${name}: "${part}" is not id=host:port`);
    const [, id, host, port] = m as unknown as [string, string, string, string];
    if (!ID_PATTERN.test(id)) throw new ConfigError(`${name}: "${id}" is not a valid id`);
    if (id === self) throw new ConfigError(`${name}: lists this node's own id "${id}"; list only the other members`);
    if (peers.some((p) => p.id === id)) throw new ConfigError(`${name}: "${id}" is listed twice`);
    peers.push({ id, host, port: parseWholeNumber(port, name, 1, 65535) });
  }
  return peers;
}

function flagPair(on: boolean | undefined, off: boolean | undefined, flag: string, envRaw: string | undefined, envName: string): boolean {
  if (on && off) throw new ConfigError(`${flag} and --no-${flag.slice(2)} both given`);
  if (on) return true;
  if (off) return false;
  if (envRaw === undefined || envRaw === '') return true;
  const v = envRaw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${envName}: "${envRaw}" is not true or false`);
}
