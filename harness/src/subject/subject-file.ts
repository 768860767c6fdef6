import type { NodeRole, PeerFormat, StopSignal } from './types.js';

/**
 * A subject file as a user writes it (docs/subjects.md): every field may be left out and then
 * takes the `course` subject's value. `validateSubjectFile` (validate.ts) reads it into a
 * `Subject`; the schema (`schemas/subject.schema.json`, `npm run schemas`) is generated from
 * this type.
 */
export interface SubjectFile {
  /**
   * The JSON Schema of this file, for editors (e.g. `node_modules/raft-chaos/schemas/subject.schema.json`); the harness ignores it.
   * @minLength 1
   */
  $schema?: string;
  /**
   * Name shown in reports (default: the file's base name).
   * @pattern ^[a-z0-9][a-z0-9._-]*$
   */
  name?: string;
  /**
   * One line about the node.
   * @minLength 1
   */
  description?: string;
  /** How to start a node (default: the course's). */
  launch?: SubjectFileLaunch;
  /** How to tell a started node is ready. */
  ready?: {
    /** `GET path` answers 200 when ready (default: `status.path`). */
    path?: UrlPath;
    /**
     * Longest wait for readiness after the start, in ms.
     * @asType integer
     * @minimum 100
     * @maximum 600000
     */
    timeoutMs?: number;
  };
  /** How to stop a node gracefully. */
  stop?: {
    /** The signal sent first. */
    signal?: StopSignal;
    /**
     * SIGKILL follows after this many ms.
     * @asType integer
     * @minimum 0
     * @maximum 600000
     */
    graceMs?: number;
  };
  /** How to read a node's status. */
  status?: SubjectFileStatus;
  /** `GET path?since=N` gives the node's events in the project's format (node/API.md). */
  events?: {
    path: UrlPath;
  };
  /** Whether the node keeps term and vote in `{dataDir}` across restarts. */
  durable?: boolean;
  /** Protocol features the node implements (the checks that assume them apply only where true). */
  implements?: {
    preVote?: boolean;
    checkQuorum?: boolean;
  };
}

/** The `launch` section of a subject file. */
export interface SubjectFileLaunch {
  /** The command line (split into words, no shell) or its words; templates such as `{port}` are filled per node. */
  command?: TemplateText | CommandWords;
  /**
   * Docker image (its own entrypoint runs when `command` is absent).
   * @pattern ^[^\s]+$
   */
  image?: string;
  /**
   * Environment of the node (replaces the course's whole); values are templates.
   * @propertyNames {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}
   */
  env?: Record<string, TemplateText>;
  /** How `{peers}` is written. */
  peers?: PeerFormat;
  /**
   * Working directory of the process, relative to the file's folder (default: that folder).
   * @minLength 1
   */
  cwd?: string;
}

/** The `status` section of a subject file. */
export interface SubjectFileStatus {
  /** `GET path` gives the node's status as JSON. */
  path?: UrlPath;
  /** Where state, term and leader (and optionally votedFor and id) are in the status JSON. */
  fields?: {
    state: FieldPath;
    term: FieldPath;
    leader: FieldPath;
    votedFor?: FieldPath;
    id?: FieldPath;
  };
  /** Each raw state value (as a string) to its role; every role must be reached. */
  states?: Record<string, NodeRole>;
  /** Values of the leader field that mean "no leader known" (besides null). */
  noLeader?: (string | number)[];
}

/**
 * Words of a command, each a template.
 * @minItems 1
 */
export type CommandWords = TemplateText[];

/**
 * Text with templates: `{id}` `{host}` `{port}` `{peers}` `{dataDir}` `{electionTimeoutMin}`
 * `{electionTimeoutMax}` `{heartbeatInterval}`; `{{` and `}}` are literal braces.
 * @pattern ^([^{}]|\{\{|\}\}|\{(id|host|port|peers|dataDir|electionTimeoutMin|electionTimeoutMax|heartbeatInterval)\})*$
 */
export type TemplateText = string;

/**
 * An HTTP path starting with `/`, no query.
 * @pattern ^/[^\s?#]*$
 */
export type UrlPath = string;

/**
 * A dotted path into the status JSON (`state`, `raft.state`).
 * @pattern ^[^.\s]+(\.[^.\s]+)*$
 */
export type FieldPath = string;
