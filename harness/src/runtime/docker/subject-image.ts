import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { EnvironmentError } from '../../../../common/src/errors.js';
import { REPO_ROOT } from '../../build/bundles.js';
import { buildFromTar, ensureBaseImage, imageExists } from './image.js';
import { LABEL_IMAGE, LABEL_IMAGE_HASH, LABEL_IMAGE_METHOD } from './labels.js';
import { collectPythonRootfs, collectRuntimeRootfs, type RuntimeRootfs } from './rootfs.js';
import type { TarEntry } from './tar.js';

/** An example node the project can build an offline image of, on demand. */
interface ExampleImage {
  /** Folder of the example, from the repository root. */
  readonly dir: string;
  readonly runtime: 'node' | 'python';
  /** The files of the example that run (copied to `/app`). */
  readonly files: (name: string) => boolean;
  /** The image's command (the node starts from its environment, as the course's compose file does). */
  readonly cmd: readonly string[];
}

/**
 * The course's two example nodes (examples/course-node-ts, examples/course-node-py) as images
 * `raft-chaos-course-ts:<hash>` and `raft-chaos-course-py:<hash>`. Subject files name them
 * without a tag (examples/subjects/): the Docker runtime builds the image of the current
 * sources when it is missing and runs that tag.
 */
export const EXAMPLE_IMAGES: Readonly<Record<string, ExampleImage>> = {
  'raft-chaos-course-ts': {
    dir: 'examples/course-node-ts',
    runtime: 'node',
    files: (f) => f.endsWith('.mjs'),
    cmd: ['node', '/app/server.mjs'],
  },
  'raft-chaos-course-py': {
    dir: 'examples/course-node-py',
    runtime: 'python',
    files: (f) => f.endsWith('.py'),
    cmd: ['python3', '/app/server.py'],
  },
};

const RECIPE_VERSION = 'subject-image-v1';

/** `repo` of `repo[:tag]` (a registry host's port is not a tag). */
export function imageRepo(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(0, colon) : ref;
}

/** The built image of a subject: the tag to run, and how it came to be. */
export interface SubjectImage {
  tag: string;
  /** Built now (false: it existed, or it is not one the project builds). */
  built: boolean;
  /** For the run's description. */
  note: string;
}

const inFlight = new Map<string, Promise<SubjectImage>>();

/**
 * The image to run for a subject that names `ref`. An example image (`raft-chaos-course-ts`,
 * `raft-chaos-course-py`, with no tag or `latest`) is built offline from this host's `node` or
 * `python3` when no image carries the hash of its current sources; its hashed tag is returned
 * and `latest` points at it. Any other image must already be on the engine (it is never
 * pulled): EnvironmentError naming it otherwise.
 */
export async function ensureSubjectImage(docker: Docker, ref: string, progress: (line: string) => void): Promise<SubjectImage> {
  const repo = imageRepo(ref);
  const example = EXAMPLE_IMAGES[repo];
  if (example === undefined || (ref !== repo && ref !== `${repo}:latest`)) {
    if (!(await imageExists(docker, ref))) {
      throw new EnvironmentError(
        `the subject's image ${ref} is not on this Docker engine (the harness never pulls): build it, or \`docker pull ${ref}\`, then run again`,
      );
    }
    return { tag: ref, built: false, note: ref };
  }
  let work = inFlight.get(repo);
  if (!work) {
    work = buildExample(docker, repo, example, progress);
    inFlight.set(repo, work);
    void work.finally(() => inFlight.delete(repo)).catch(() => {});
  }
  return work;
}

async function buildExample(docker: Docker, repo: string, example: ExampleImage, progress: (line: string) => void): Promise<SubjectImage> {
  const started = performance.now();
  const dir = join(REPO_ROOT, example.dir);
  const names = (await readdir(dir)).filter(example.files).sort();
  const runtime = example.runtime === 'node' ? await collectRuntimeRootfs() : await collectPythonRootfs();
  const hash = createHash('sha256').update(`${RECIPE_VERSION}\0${repo}\0${runtime.key}\0${example.cmd.join(' ')}\0`);
  for (const name of names) hash.update(`${name}\0`).update(await readFile(join(dir, name))).update('\0');
  const digest = hash.digest('hex');
  const tag = `${repo}:${digest.slice(0, 12)}`;
  if (await imageExists(docker, tag)) {
    await docker.getImage(tag).tag({ repo, tag: 'latest' });
    return { tag, built: false, note: `${tag} (offline image of ${example.dir}, reused)` };
  }
  progress(`building ${tag} (offline, FROM scratch: ${runtime.summary}; ${names.join(', ')})`);
  const base = example.runtime === 'node' ? await ensureBaseImage(docker, runtime, progress, false) : await ensurePythonBase(docker, runtime, progress);
  const dockerfile = [
    `FROM ${base}`,
    'COPY app/ /app/',
    'WORKDIR /app',
    'ENV HOST=0.0.0.0 DATA_DIR=/data',
    'STOPSIGNAL SIGTERM',
    `LABEL ${LABEL_IMAGE}=subject ${LABEL_IMAGE_HASH}=${digest} ${LABEL_IMAGE_METHOD}=offline`,
    `CMD ${JSON.stringify(example.cmd)}`,
    '',
  ].join('\n');
  const entries: TarEntry[] = [
    { type: 'file', name: 'Dockerfile', data: dockerfile },
    { type: 'dir', name: 'app' },
    ...names.map((name): TarEntry => ({ type: 'path', name: `app/${name}`, source: join(dir, name), mode: 0o644 })),
  ];
  await buildFromTar(docker, tag, entries, progress);
  await docker.getImage(tag).tag({ repo, tag: 'latest' });
  const ms = Math.round(performance.now() - started);
  progress(`${tag} built in ${ms} ms (also tagged ${repo}:latest)`);
  return { tag, built: true, note: `${tag} (offline image of ${example.dir}, built)` };
}

/** The offline Python base (interpreter, stdlib, libraries; no project code), built when missing. */
async function ensurePythonBase(docker: Docker, runtime: RuntimeRootfs, progress: (line: string) => void): Promise<string> {
  const base = `raft-chaos-base:py-${runtime.key.slice(0, 12)}`;
  if (await imageExists(docker, base)) return base;
  progress(`building base ${base} from the host's python3 (${runtime.summary})`);
  const libDirs = [
    ...new Set(
      runtime.entries
        .filter((e) => e.type === 'path' && /\.so(\.|$)/.test(e.name) && !e.name.includes('/lib-dynload/'))
        .map((e) => `/${dirname(e.name.replace(/^rootfs\//, ''))}`),
    ),
  ];
  const dockerfile = [
    'FROM scratch',
    'COPY rootfs/ /',
    'ENV PATH=/usr/local/bin:/usr/bin:/bin PYTHONHOME=/usr/local PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1',
    `ENV LD_LIBRARY_PATH=${libDirs.join(':')}`,
    `LABEL ${LABEL_IMAGE}=base ${LABEL_IMAGE_HASH}=${runtime.key}`,
    '',
  ].join('\n');
  await buildFromTar(docker, base, [{ type: 'file', name: 'Dockerfile', data: dockerfile }, ...runtime.entries], progress);
  return base;
}
