import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { EnvironmentError } from '../../../../common/src/errors.js';
import { bundleProject, REPO_ROOT, type ProjectBundles } from '../../build/bundles.js';
import { LABEL_IMAGE, LABEL_IMAGE_HASH, LABEL_IMAGE_METHOD } from './labels.js';
import { collectRuntimeRootfs } from './rootfs.js';
import { tarStream, type TarEntry } from './tar.js';

/** Repository of the node image; tags are content hashes, plus `latest` for docker-compose. */
export const NODE_IMAGE_REPO = 'raft-chaos-node';
/** Repository of the offline base (host node runtime, no project code). */
export const BASE_IMAGE_REPO = 'raft-chaos-base';
/** The base image of `node/Dockerfile`. */
export const DOCKERFILE_BASE = 'node:20-slim';

/**
 * Image layout every runtime and docker-compose.yml rely on, whichever way it was built (the
 * layout of node/Dockerfile): `node` on PATH, the node at `/app/node.mjs` (also the
 * ENTRYPOINT, so `docker run IMAGE --id n1 ...` runs a node), the Toxiproxy server at
 * `/app/toxiproxy.mjs`, `/data` for the node's data directory, `HOST=0.0.0.0`.
 */
export const IMAGE_NODE_MAIN = '/app/node.mjs';
export const IMAGE_TOXIPROXY_MAIN = '/app/toxiproxy.mjs';

/** How the image was made: `dockerfile` = node/Dockerfile on node:20-slim; `offline` = FROM scratch. */
export type ImageMethod = 'dockerfile' | 'offline';

export interface EnsureImageOptions {
  /** Build even when an image with the same content hash exists (without the engine's layer cache). */
  force?: boolean;
  /** Choose the method instead of `dockerfile` when node:20-slim is present, else `offline`. */
  method?: ImageMethod;
  /** Progress lines (default: to stderr with an `[image]` prefix). */
  onProgress?: (line: string) => void;
  /** Remove older `raft-chaos-node` images no container uses (default true). */
  prune?: boolean;
}

export interface NodeImage {
  /** `raft-chaos-node:<hash12>`. */
  tag: string;
  hash: string;
  method: ImageMethod;
  /** False when an image with this content hash already existed and was reused. */
  built: boolean;
  ms: number;
}

const RECIPE_VERSION = 'node-image-v1';

export const stderrProgress = (line: string): void => {
  process.stderr.write(`[image] ${line}\n`);
};

const inFlight = new Map<string, Promise<NodeImage>>();

/**
 * Makes sure the node image for the current sources exists and returns its tag. Bundles the
 * node and the Toxiproxy server, hashes them with the recipe, and builds only when no image
 * carries that hash (or `force`). Builds through dockerode's buildImage (no docker CLI):
 * from node/Dockerfile when node:20-slim is present locally, otherwise offline from this
 * host's node binary and libraries. Also points `raft-chaos-node:latest` at the result.
 * Concurrent calls in one process share one build. Throws EnvironmentError with the build's
 * last output lines when a build fails.
 */
export async function ensureNodeImage(docker: Docker, options: EnsureImageOptions = {}): Promise<NodeImage> {
  const progress = options.onProgress ?? stderrProgress;
  const started = performance.now();
  progress('checking the bundles of the node and the Toxiproxy server (esbuild rebuilds one only when its sources changed)');
  const bundles = await bundleProject();
  const method = options.method ?? ((await imageExists(docker, DOCKERFILE_BASE)) && existsSync(dockerfilePath()) ? 'dockerfile' : 'offline');
  const runtime = method === 'offline' ? await collectRuntimeRootfs() : undefined;
  const hash = createHash('sha256')
    .update(`${RECIPE_VERSION}\0${method}\0${bundles.hash}\0`)
    .update(runtime ? runtime.key : await readFile(dockerfilePath()))
    .digest('hex');
  const tag = `${NODE_IMAGE_REPO}:${hash.slice(0, 12)}`;
  const key = `${tag}:${options.force ? 'force' : ''}`;
  const existing = inFlight.get(key);
  if (existing) return existing;
  const work = (async (): Promise<NodeImage> => {
    let built = false;
    if (!options.force && (await imageExists(docker, tag))) {
      progress(`${tag} is up to date (sources unchanged), reusing it`);
    } else {
      progress(`building ${tag} (${method === 'offline' ? `offline, FROM scratch: ${runtime!.summary}` : `node/Dockerfile FROM ${DOCKERFILE_BASE}`})`);
      if (method === 'offline') {
        const base = await ensureBaseImage(docker, runtime!, progress, options.force ?? false);
        await buildFromTar(docker, tag, offlineContext(base, bundles, hash), progress, { nocache: options.force ?? false });
      } else {
        await buildWithDockerfile(docker, tag, hash, bundles, progress);
      }
      built = true;
    }
    await docker.getImage(tag).tag({ repo: NODE_IMAGE_REPO, tag: 'latest' });
    if (options.prune ?? true) await pruneOldImages(docker, tag, progress);
    const ms = Math.round(performance.now() - started);
    progress(`${tag} ready (${built ? 'built' : 'reused'} in ${ms} ms; also tagged ${NODE_IMAGE_REPO}:latest)`);
    return { tag, hash, method, built, ms };
  })();
  inFlight.set(key, work);
  try {
    return await work;
  } finally {
    inFlight.delete(key);
  }
}

function dockerfilePath(): string {
  return join(REPO_ROOT, 'node', 'Dockerfile');
}

/** Whether an image with this reference exists locally (never pulls). */
export async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/** The offline base image (host node runtime only) for `runtime`, built when missing. Returns its tag. */
export async function ensureBaseImage(
  docker: Docker,
  runtime: Awaited<ReturnType<typeof collectRuntimeRootfs>>,
  progress: (line: string) => void,
  force: boolean,
): Promise<string> {
  const base = `${BASE_IMAGE_REPO}:${runtime.key.slice(0, 12)}`;
  if (!force && (await imageExists(docker, base))) {
    progress(`base ${base} (${runtime.summary}) exists, reusing it`);
    return base;
  }
  progress(`building base ${base} from the host's node runtime (~100 MB context)`);
  const dockerfile = [
    'FROM scratch',
    'COPY rootfs/ /',
    'ENV PATH=/usr/local/bin:/usr/bin:/bin',
    `LABEL ${LABEL_IMAGE}=base ${LABEL_IMAGE_HASH}=${runtime.key}`,
    '',
  ].join('\n');
  await buildFromTar(docker, base, [{ type: 'file', name: 'Dockerfile', data: dockerfile }, ...runtime.entries], progress);
  return base;
}

function imageLabels(hash: string, method: ImageMethod): string {
  return `LABEL ${LABEL_IMAGE}=node ${LABEL_IMAGE_HASH}=${hash} ${LABEL_IMAGE_METHOD}=${method}`;
}

/** The offline node image: the base plus the two bundles, laid out as node/Dockerfile lays them out. */
function offlineContext(base: string, bundles: ProjectBundles, hash: string): TarEntry[] {
  const dockerfile = [
    `FROM ${base}`,
    'COPY app/ /app/',
    'WORKDIR /app',
    'ENV HOST=0.0.0.0 DATA_DIR=/data',
    'EXPOSE 7000 8474',
    'STOPSIGNAL SIGTERM',
    imageLabels(hash, 'offline'),
    `ENTRYPOINT ["node", "${IMAGE_NODE_MAIN}"]`,
    '',
  ].join('\n');
  return [
    { type: 'file', name: 'Dockerfile', data: dockerfile },
    { type: 'dir', name: 'app' },
    { type: 'path', name: 'app/node.mjs', source: bundles.nodeFile, mode: 0o644 },
    { type: 'path', name: 'app/toxiproxy.mjs', source: bundles.toxiproxyFile, mode: 0o644 },
  ];
}

/** Files node/Dockerfile's build stage copies from the repository root (`docker build -f node/Dockerfile .`). */
const DOCKERFILE_CONTEXT = ['package.json', 'package-lock.json', 'tsconfig.json', 'common', 'node'];

/**
 * Builds node/Dockerfile as a person would (repository root as context; its build stage runs
 * `npm ci`, so this path needs the npm registry), then adds the Toxiproxy bundle on top.
 */
async function buildWithDockerfile(
  docker: Docker,
  tag: string,
  hash: string,
  bundles: ProjectBundles,
  progress: (line: string) => void,
): Promise<void> {
  const stage = `${BASE_IMAGE_REPO}:dockerfile-${hash.slice(0, 12)}`;
  const entries: TarEntry[] = [];
  for (const rel of DOCKERFILE_CONTEXT) await addTree(entries, REPO_ROOT, rel);
  await buildFromTar(docker, stage, entries, progress, { dockerfile: 'node/Dockerfile' });
  const dockerfile = [
    `FROM ${stage}`,
    'COPY toxiproxy.mjs /app/toxiproxy.mjs',
    imageLabels(hash, 'dockerfile'),
    '',
  ].join('\n');
  await buildFromTar(
    docker,
    tag,
    [
      { type: 'file', name: 'Dockerfile', data: dockerfile },
      { type: 'path', name: 'toxiproxy.mjs', source: bundles.toxiproxyFile, mode: 0o644 },
    ],
    progress,
  );
}

async function addTree(entries: TarEntry[], root: string, rel: string): Promise<void> {
  const abs = join(root, rel);
  const st = await stat(abs);
  if (st.isDirectory()) {
    if (/(^|\/)(node_modules|dist|\.git)$/.test(rel)) return;
    entries.push({ type: 'dir', name: rel });
    for (const child of (await readdir(abs)).sort()) await addTree(entries, root, `${rel}/${child}`);
  } else if (st.isFile()) {
    entries.push({ type: 'path', name: rel, source: abs });
  }
}

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/** Builds `tag` from a build context given as tar entries; EnvironmentError with the build's last lines on failure. */
export async function buildFromTar(
  docker: Docker,
  tag: string,
  entries: TarEntry[],
  progress: (line: string) => void,
  extra: { dockerfile?: string; nocache?: boolean } = {},
): Promise<void> {
  const tail: string[] = [];
  const note = (line: string): void => {
    tail.push(line);
    if (tail.length > 15) tail.shift();
  };
  try {
    const stream = await docker.buildImage(tarStream(entries), { t: tag, rm: true, forcerm: true, ...extra });
    const events = await new Promise<BuildEvent[]>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, out: BuildEvent[]) => (err ? reject(err) : resolve(out)),
        (e: BuildEvent) => {
          const line = (e.stream ?? e.status ?? '').trimEnd();
          if (line) {
            note(line);
            if (/^Step \d+\/\d+/.test(line) || /^Successfully/.test(line)) progress(`  ${line}`);
          }
          if (e.error) note(`error: ${e.error}`);
        },
      );
    });
    const failed = events.find((e) => e.error);
    if (failed) throw new Error(failed.errorDetail?.message ?? failed.error);
  } catch (cause) {
    throw new EnvironmentError(
      `building image ${tag} failed: ${(cause as Error).message}\n  last build output:\n    ${tail.join('\n    ')}\n` +
        'Check the engine has disk space (`docker system df`), then run `npm run image` to retry.',
      { cause },
    );
  }
}

/**
 * Removes the other node images (by label: older sources, or replaced by a forced rebuild)
 * that no container uses; failures are ignored.
 */
async function pruneOldImages(docker: Docker, keepTag: string, progress: (line: string) => void): Promise<void> {
  const keepId = (await docker.getImage(keepTag).inspect()).Id;
  const images = await docker.listImages({ filters: { label: [`${LABEL_IMAGE}=node`] } });
  for (const img of images) {
    if (img.Id === keepId) continue;
    try {
      await docker.getImage(img.Id).remove({ force: false, noprune: false });
      progress(`removed old image ${(img.RepoTags ?? [img.Id]).join(', ')}`);
    } catch {
      // In use by a container (a run in progress or someone's docker-compose): keep it.
    }
  }
}
