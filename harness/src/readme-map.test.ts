import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The folders the README's map ("How it is built") names in its first column, as written (`harness/src/runtime/`). */
function mapped(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## How it is built'), readme.indexOf('### As a library'));
  return [...section.matchAll(/^\| (`[^|]+`) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!));
}

/** Every folder directly under a package's `src/` (`harness/src/runtime/`), and `common/src/` itself. */
function folders(): string[] {
  const under = (pkg: string) =>
    readdirSync(join(ROOT, pkg), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${pkg}/${e.name}/`);
  return [...under('harness/src'), ...under('node/src'), 'common/src/'].sort();
}

describe("the README's map of the code", () => {
  it('lists every folder of harness/src and node/src, and common/src', () => {
    const listed = new Set(mapped());
    expect(folders().filter((f) => !listed.has(f))).toEqual([]);
  });

  it('lists nothing that is gone', () => {
    expect(mapped().filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });
});

describe("the test support's README", () => {
  it('names every file of harness/src/test-support', () => {
    const dir = join(ROOT, 'harness/src/test-support');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !readme.includes(`\`${f}\``))).toEqual([]);
  });
});
