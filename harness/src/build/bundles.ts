import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../../common/src/errors.js';

/**
 * The project's programs bundled to one ES module file each, kept in `dist/` between runs and
 * rebuilt only when a source is newer: the node (started by the process runtime and copied
 * into the Docker image) and the Toxiproxy server (started as a child process, or in a container).
 */

/** The repository root (this file is harness/src/build/bundles.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where the bundled node is kept between runs. */
export const DEFAULT_BUNDLE = join(REPO_ROOT, 'dist', 'node.mjs');

/** Sources whose change makes the node's bundle stale. */
const NODE_SOURCES = ['node/src', 'node/build.ts', 'common/src', 'package-lock.json'];

const building = new Map<string, Promise<string>>();

/**
 * The path of an up-to-date bundle of the node (one ESM file, started with
 * `process.execPath <bundle> ...flags`). Reuses `outFile` when it is newer than every source,
 * otherwise bundles again (into a temporary file renamed into place, so a concurrent run never
 * sees half a file). Concurrent calls in one process share one build.
 */
export function ensureNodeBundle(outFile: string = DEFAULT_BUNDLE): Promise<string> {
  let pending = building.get(outFile);
  if (pending === undefined) {
    pending = buildNode(outFile).finally(() => building.delete(outFile));
    building.set(outFile, pending);
  }
  return pending;
}

/** Whether `outFile` exists and is at least as new as every source of the node. */
export function isBundleFresh(outFile: string = DEFAULT_BUNDLE): boolean {
  return mtime(outFile) >= 0 && newest(NODE_SOURCES) <= mtime(outFile);
}

async function buildNode(outFile: string): Promise<string> {
  if (isBundleFresh(outFile)) return outFile;
  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.${Date.now()}.tmp.mjs`;
  try {
    // Loaded only when a build is needed: a fresh bundle needs no build code.
    const { bundleNode } = await import('../../../node/build.js');
    await bundleNode(tmp);
    renameSync(tmp, outFile);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new EnvironmentError(
      `could not bundle the node into ${outFile}: ${(cause as Error).message}. ` +
        'Check that node/src compiles (npm run typecheck) and that esbuild is installed (npm ci).',
      { cause },
    );
  }
  return outFile;
}

/** The bundled Toxiproxy server (beside the node's `dist/node.mjs`). */
export const TOXIPROXY_BUNDLE = join(REPO_ROOT, 'dist', 'toxiproxy.mjs');
const TOXIPROXY_ENTRY = join(REPO_ROOT, 'harness/src/cli/toxiproxy-main.ts');
const TOXIPROXY_SOURCES = ['harness/src/toxiproxy', 'harness/src/cli/toxiproxy-main.ts', 'common/src', 'package-lock.json'];

/** The two programs the image runs, each bundled to one ES module file. */
export interface ProjectBundles {
  /** `dist/node.mjs`: the Raft node, bundled by node/build.ts `bundleNode` (shared with the process runtime). */
  nodeFile: string;
  /** `dist/toxiproxy.mjs`: the project's Toxiproxy server (`harness/src/cli/toxiproxy-main.ts`), bundled the same way. */
  toxiproxyFile: string;
  /** sha256 of both bundles' bytes: the project part of the image's content hash. */
  hash: string;
}

const CJS_SHIM =
  "import { createRequire as __raftChaosCreateRequire } from 'node:module'; const require = __raftChaosCreateRequire(import.meta.url);";

let toxiproxyBuild: Promise<string> | undefined;

/**
 * Up-to-date bundles of the node and the Toxiproxy server, and the hash of their bytes. Each
 * is rebuilt only when a source is newer than it (the process runtime's rule), into a
 * temporary file renamed into place. Throws EnvironmentError when a bundle cannot be built.
 */
export async function bundleProject(): Promise<ProjectBundles> {
  const [nodeFile, toxiproxyFile] = await Promise.all([ensureNodeBundle(), ensureToxiproxyBundle()]);
  const hash = createHash('sha256');
  for (const f of [nodeFile, toxiproxyFile]) hash.update(await readFile(f)).update('\0');
  return { nodeFile, toxiproxyFile, hash: hash.digest('hex') };
}

/** `dist/toxiproxy.mjs`, rebuilt when older than any of its sources. Concurrent calls share one build. */
export function ensureToxiproxyBundle(): Promise<string> {
  toxiproxyBuild ??= (async () => {
    if (newest(TOXIPROXY_SOURCES) <= mtime(TOXIPROXY_BUNDLE)) return TOXIPROXY_BUNDLE;
    mkdirSync(dirname(TOXIPROXY_BUNDLE), { recursive: true });
    const tmp = `${TOXIPROXY_BUNDLE}.${process.pid}.${Date.now()}.tmp.mjs`;
    try {
      await bundleEntry(TOXIPROXY_ENTRY, tmp);
      renameSync(tmp, TOXIPROXY_BUNDLE);
    } finally {
      rmSync(tmp, { force: true });
    }
    return TOXIPROXY_BUNDLE;
  })().finally(() => (toxiproxyBuild = undefined));
  return toxiproxyBuild;
}

/** esbuild one entry point to one ESM file for Node 20, with the same settings as node/build.ts. */
export async function bundleEntry(entry: string, outFile: string): Promise<void> {
  try {
    await build({
      entryPoints: [entry],
      outfile: outFile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      banner: { js: CJS_SHIM },
      logLevel: 'silent',
    });
  } catch (cause) {
    throw new EnvironmentError(
      `bundling ${entry} with esbuild failed: ${(cause as Error).message}. Check that it compiles (npm run typecheck).`,
      { cause },
    );
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function newest(rels: string[]): number {
  const walk = (path: string): number => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return 0;
    }
    if (!st.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : st.mtimeMs;
    let n = st.mtimeMs;
    for (const e of readdirSync(path)) n = Math.max(n, walk(join(path, e)));
    return n;
  };
  return Math.max(...rels.map((r) => walk(join(REPO_ROOT, r))));
}
