import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The node's entry point, for bundling. */
export const NODE_ENTRY = join(here, 'src', 'main.ts');

/**
 * Bundles the node (node/src/main.ts and its dependencies, pino included) into one ESM file
 * that runs with plain `node OUTFILE`. A createRequire banner lets bundled CommonJS code call
 * `require` for Node built-ins. Resolves once the file is written; rejects on build errors.
 */
export async function bundleNode(outFile: string): Promise<void> {
  await build({
    entryPoints: [NODE_ENTRY],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __raftChaosCreateRequire } from 'node:module'; const require = __raftChaosCreateRequire(import.meta.url);",
    },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? 'dist/node.mjs';
  bundleNode(out).then(
    () => console.log(`bundled node to ${out}`),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
