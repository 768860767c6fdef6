import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../../../common/src/errors.js';

/** The repository root (this file is harness/src/runtime/process/bundle.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where the bundled node is kept between runs. */
export const DEFAULT_BUNDLE = join(REPO_ROOT, 'dist', 'node.mjs');

/** Sources whose change makes the bundle stale. */
const SOURCES = ['node/src', 'node/build.ts', 'common/src', 'package-lock.json'];

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
    pending = build(outFile).finally(() => building.delete(outFile));
    building.set(outFile, pending);
  }
  return pending;
}

/** Whether `outFile` exists and is at least as new as every source of the node. */
export function isBundleFresh(outFile: string = DEFAULT_BUNDLE): boolean {
  let built: number;
  try {
    built = statSync(outFile).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((rel) => newestMtime(join(REPO_ROOT, rel)) <= built);
}

async function build(outFile: string): Promise<string> {
  if (isBundleFresh(outFile)) return outFile;
  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.${Date.now()}.tmp.mjs`;
  try {
    // Loaded only when a build is needed: esbuild is heavy, and a fresh bundle needs none.
    const { bundleNode } = await import('../../../../node/build.js');
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

function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}
