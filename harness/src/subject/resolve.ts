import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import { didYouMean } from '../../../common/src/did-you-mean.js';
import { splitCommand } from './command-words.js';
import { courseSubject } from './course.js';
import { raftChaosSubject } from './raft-chaos.js';
import { templatesIn } from './templates.js';
import type { Subject } from './types.js';
import { validateSubjectFile } from './validate.js';

/** The built-in subjects' names; the first is the default. */
export const BUILTIN_SUBJECTS: readonly string[] = ['raft-chaos', 'course'];

/** Options given beside `--subject`. */
export interface ResolveOptions {
  /** `--node-command`: replaces the subject's command (split into words, no shell). */
  readonly nodeCommand?: string;
  /** Where relative paths of `--subject` and of `--node-command`'s program are resolved (default: process.cwd()). */
  readonly cwd?: string;
}

/**
 * What `--subject NAME|FILE` and `--node-command CMD` select: a built-in (`raft-chaos`, the
 * default when `nameOrFile` is undefined, or `course`) or a subject file (a path, or a word
 * ending in `.json`). `--node-command` replaces the command, with the harness's working
 * directory as the process's. Throws ConfigError (exit 2, before anything is written) for an
 * unknown name (with the near miss), a missing or bad file, `--node-command` with
 * `raft-chaos`, or a subject left with neither a command nor an image.
 */
export function resolveSubject(nameOrFile: string | undefined, options: ResolveOptions = {}): Subject {
  const cwd = options.cwd ?? process.cwd();
  const name = nameOrFile ?? 'raft-chaos';
  let subject: Subject;
  if (name === 'raft-chaos') {
    if (options.nodeCommand !== undefined) {
      throw new ConfigError(
        '--node-command needs --subject course or a subject file: raft-chaos (the default subject) is the project\'s own node, started by the harness itself',
      );
    }
    return raftChaosSubject;
  } else if (name === 'course') {
    subject = courseSubject(cwd);
  } else if (/[\\/]|\.json$/.test(name)) {
    subject = readSubjectFile(path.resolve(cwd, name));
  } else {
    throw new ConfigError(`--subject: unknown subject "${name}"${didYouMean(name, BUILTIN_SUBJECTS)}. Built in: ${BUILTIN_SUBJECTS.join(', ')}; or give the path of a subject file (docs/subjects.md)`);
  }
  if (subject.launch.kind !== 'command') return subject;
  let launch = subject.launch;
  if (options.nodeCommand !== undefined) {
    const command = splitCommand(options.nodeCommand);
    for (const w of command) templatesIn(w, '--node-command');
    launch = { ...launch, command, commandText: options.nodeCommand, cwd };
  }
  if (launch.command === undefined && launch.image === undefined) {
    throw new ConfigError(
      `subject ${subject.name} says neither how to start a process nor which image to run: give --node-command "..." (e.g. --node-command "python3 server.py")` +
        (subject.source === 'builtin' ? '' : `, or launch.command / launch.image in ${subject.source}`),
    );
  }
  return { ...subject, launch };
}

/** Reads and validates a subject file (JSON); ConfigError naming the file for anything wrong. */
export function readSubjectFile(file: string): Subject {
  if (!existsSync(file)) throw new ConfigError(`subject file ${file} does not exist`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read subject file ${file}: ${(err as Error).message}`, { cause: err });
  }
  return validateSubjectFile(data, file, path.dirname(file));
}

/**
 * The CLI words that select `subject` again (for replay lines, random searches, the nightly,
 * sweeps): nothing for the default, `--subject NAME|FILE`, and `--node-command` when the
 * command came from the command line.
 */
export function subjectArgs(subject: Subject, nodeCommand?: string): string[] {
  if (subject.name === 'raft-chaos' && subject.source === 'builtin') return [];
  const args = ['--subject', subject.source === 'builtin' ? subject.name : subject.source];
  return nodeCommand === undefined ? args : [...args, '--node-command', nodeCommand];
}
