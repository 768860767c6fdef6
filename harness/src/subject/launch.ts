import { ConfigError } from '../../../common/src/errors.js';
import { formatPeers, type PeerAddress } from './peers.js';
import { fillTemplate, templatesIn, type TemplateValues } from './templates.js';
import type { CommandLaunch, CommandSubject, StopSignal, Subject } from './types.js';

/** One node slot: what the runtime decided for this node. */
export interface NodeSlot {
  readonly id: string;
  /** Address the node listens on, and the harness reaches it at. */
  readonly host: string;
  readonly port: number;
  /** The other members as this node must dial them (the per-link proxies in a run). */
  readonly peers: readonly PeerAddress[];
  /** A per-node directory kept across restarts. */
  readonly dataDir: string;
  readonly electionTimeoutMin: number;
  readonly electionTimeoutMax: number;
  readonly heartbeatInterval: number;
}

/** Everything a runtime needs to start one node of a command subject. */
export interface LaunchPlan {
  /** Program and arguments, templates filled; empty for an image's own entrypoint. */
  readonly argv: readonly string[];
  /** Variables to set on top of the runtime's environment, templates filled. */
  readonly env: Readonly<Record<string, string>>;
  readonly image?: string;
  readonly cwd: string;
  /** `http://host:port` of the node's API. */
  readonly baseUrl: string;
  readonly readyPath: string;
  readonly readyTimeoutMs: number;
  readonly stopSignal: StopSignal;
  readonly stopGraceMs: number;
  /** Which timer settings reach the node; a scenario reports the others as not applied. */
  readonly applied: { readonly electionTimeout: boolean; readonly heartbeatInterval: boolean };
}

/** Whether the runtimes start `subject` from a command or image (every subject but `raft-chaos`). */
export function isCommandSubject(subject: Subject): subject is CommandSubject {
  return subject.launch.kind === 'command';
}

/**
 * The plan to start `slot` of `subject` on `on` (`process` needs a command, `docker` an
 * image: ConfigError naming the subject and the flag to give otherwise). Pure: fills the
 * templates in each command word and env value, writes `{peers}` in the subject's format.
 */
export function launchPlan(subject: CommandSubject, slot: NodeSlot, on: 'process' | 'docker'): LaunchPlan {
  const l = subject.launch;
  if (on === 'process' && l.command === undefined) {
    throw new ConfigError(`subject ${subject.name} has no command to start a process: give --node-command "..." (or launch.command in its file)`);
  }
  if (on === 'docker' && l.image === undefined) {
    throw new ConfigError(`subject ${subject.name} has no image for --runtime docker: set launch.image in its file, or use --runtime process`);
  }
  const values: TemplateValues = { ...slot, peers: formatPeers(slot.peers, l.peers) };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(l.env)) env[k] = fillTemplate(v, values);
  const host = slot.host.includes(':') ? `[${slot.host}]` : slot.host;
  return {
    argv: (l.command ?? []).map((w) => fillTemplate(w, values)),
    env,
    ...(on === 'docker' && l.image !== undefined ? { image: l.image } : {}),
    cwd: l.cwd,
    baseUrl: `http://${host}:${slot.port}`,
    readyPath: subject.ready.path,
    readyTimeoutMs: subject.ready.timeoutMs,
    stopSignal: subject.stop.signal,
    stopGraceMs: subject.stop.graceMs,
    applied: timersTaken(l),
  };
}

/** Which timer settings a command launch passes to the node (a template in a word or env value). */
export function timersTaken(l: CommandLaunch): { electionTimeout: boolean; heartbeatInterval: boolean } {
  const used = new Set([...(l.command ?? []), ...Object.values(l.env)].flatMap((t) => templatesIn(t, 'launch')));
  return {
    electionTimeout: used.has('electionTimeoutMin') && used.has('electionTimeoutMax'),
    heartbeatInterval: used.has('heartbeatInterval'),
  };
}
