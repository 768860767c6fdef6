/**
 * `npm run schemas`: regenerates `schemas/scenario.schema.json` and `schemas/subject.schema.json`
 * from the TypeScript types (harness/src/schemas/generate.ts). `--check` writes nothing and exits
 * 1 when a committed schema differs from the types. Exit code: 0 done (or up to date), 1 stale,
 * 2 bad arguments or an error.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { generateSchemas, SCHEMA_FILES, schemaText } from '../schemas/generate.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function main(argv: readonly string[]): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`raft-chaos schemas: unknown argument ${JSON.stringify(unknown[0])}; usage: npm run schemas [-- --check]`);
    return 2;
  }
  const check = argv.includes('--check');
  const schemas = generateSchemas();
  let stale = 0;
  for (const [kind, file] of Object.entries(SCHEMA_FILES) as [keyof typeof SCHEMA_FILES, string][]) {
    const text = schemaText(schemas[kind]);
    const at = path.join(ROOT, file);
    const old = existsSync(at) ? readFileSync(at, 'utf8') : undefined;
    if (old === text) {
      console.log(`${file}: up to date`);
    } else if (check) {
      console.error(`${file}: stale (the types changed): run npm run schemas and commit it`);
      stale++;
    } else {
      mkdirSync(path.dirname(at), { recursive: true });
      writeFileSync(at, text);
      console.log(`${file}: written`);
    }
  }
  return stale > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error(`raft-chaos schemas: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 2;
}
