/**
 * The one error base class of raft-chaos. Every error the project throws on purpose is a
 * RaftChaosError (or a subclass), carries an optional `cause`, and has a message that says
 * what went wrong and what to do next. Callers branch on the subclass, never on the text.
 */
export class RaftChaosError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad configuration, flags, scenario files or other user input: fix the input and rerun. */
export class ConfigError extends RaftChaosError {}

/** Durable state that cannot be read or trusted (corrupt file, wrong shape). Never reset silently. */
export class StorageError extends RaftChaosError {}

/** Something the run needs is not there: no Docker engine, a port taken, an image missing. */
export class EnvironmentError extends RaftChaosError {}

/** A wait with a deadline ran out (readiness, a leader, a recovery window). */
export class TimeoutError extends RaftChaosError {}
