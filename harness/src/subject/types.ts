/**
 * A subject is what runs in each node slot of a cluster: the project's own node
 * (`raft-chaos`), a node that speaks the course chapter's protocol (`course`), or any node a
 * subject file describes (docs/subjects.md). Plain data: how to start one, how to tell it is
 * ready, how to stop it, how to read its status, and what it implements.
 */

/** A node's role, normalized from whatever the subject's status says. */
export type NodeRole = 'follower' | 'candidate' | 'leader';

/** How `{peers}` is written: `n2=h:p,...` style or the course's bare `h:p,...`. */
export type PeerFormat = 'host:port' | 'id=host:port' | 'id=http://host:port';

/** Every peer list format, in documentation order. */
export const PEER_FORMATS: readonly PeerFormat[] = ['host:port', 'id=host:port', 'id=http://host:port'];

/** Signals a subject may ask to be stopped with. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'] as const;
/** A graceful-stop signal. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The project's own node: the runtimes start it as they always have (bundle + node/API.md flags). */
export interface OwnLaunch {
  readonly kind: 'raft-chaos';
}

/** Any other node: a command (process runtime) and/or an image (Docker runtime), with templates. */
export interface CommandLaunch {
  readonly kind: 'command';
  /** argv words, templates not yet filled; absent when only an image is known. */
  readonly command?: readonly string[];
  /** The text the command was given as (for replay lines), when it came from a string. */
  readonly commandText?: string;
  /** Docker image (its own entrypoint runs when `command` is absent). */
  readonly image?: string;
  /** Environment set for the node, values are templates. */
  readonly env: Readonly<Record<string, string>>;
  readonly peers: PeerFormat;
  /** Absolute working directory of a process (the subject file's folder, or where the harness runs). */
  readonly cwd: string;
}

/** Where the fields of a status body are: dotted paths into its JSON (`raft.state`). */
export interface StatusFields {
  readonly state: string;
  readonly term: string;
  readonly leader: string;
  readonly votedFor?: string;
  readonly id?: string;
}

/** How to read a node's status. */
export interface StatusSpec {
  readonly path: string;
  readonly fields: StatusFields;
  /** Raw state value (as a string: `"LEADER"`, `"StateLeader"`, `"2"`) -> role. */
  readonly states: Readonly<Record<string, NodeRole>>;
  /** Values of the leader field that mean "no leader known" (besides null). */
  readonly noLeader: readonly (string | number)[];
}

/** A subject, resolved and validated. */
export interface Subject {
  /** Kebab-case name shown in reports. */
  readonly name: string;
  readonly description: string;
  /** Where it came from: `builtin` or the absolute path of its file. */
  readonly source: string;
  readonly launch: OwnLaunch | CommandLaunch;
  /** Readiness: `GET path` answers 200 within `timeoutMs` of the start. */
  readonly ready: { readonly path: string; readonly timeoutMs: number };
  /** Graceful stop: this signal, then SIGKILL after `graceMs`. */
  readonly stop: { readonly signal: StopSignal; readonly graceMs: number };
  readonly status: StatusSpec;
  /** `GET path?since=N` in the project's event format (node/API.md), if the node has one. */
  readonly events?: { readonly path: string };
  /** The node keeps term and vote in `{dataDir}` across restarts. */
  readonly durable: boolean;
  /** Protocol features the node implements (the checks that assume them apply only where true). */
  readonly implements: { readonly preVote: boolean; readonly checkQuorum: boolean };
}

/** A subject that starts from a command or image (every subject but `raft-chaos`). */
export type CommandSubject = Subject & { readonly launch: CommandLaunch };
