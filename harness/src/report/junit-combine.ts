import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SUITE = /<testsuite\b[^>]*>[\s\S]*?<\/testsuite>|<testsuite\b[^>]*\/>/g;

function attr(tag: string, name: string): number {
  const m = new RegExp(`\\s${name}="([0-9.]+)"`).exec(tag);
  return m ? Number(m[1]) : 0;
}

/**
 * One JUnit document holding every `<testsuite>` of the given documents (as `buildJUnit`
 * writes them), with totals summed on `<testsuites>`. No documents, or none holding a suite,
 * gives a document with one `<error>`: a nightly job in which nothing ran must fail.
 */
export function combineJUnit(docs: readonly string[]): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let time = 0;
  for (const doc of docs) {
    for (const m of doc.matchAll(SUITE)) {
      const block = m[0];
      const open = /<testsuite\b[^>]*>/.exec(block)?.[0] ?? '';
      tests += attr(open, 'tests');
      failures += attr(open, 'failures');
      errors += attr(open, 'errors');
      time += attr(open, 'time');
      suites.push(`  ${block}`);
    }
  }
  if (suites.length === 0) {
    tests = 1;
    errors = 1;
    suites.push(
      '  <testsuite name="raft-chaos" tests="1" failures="0" errors="1" skipped="0" time="0">\n' +
        '    <testcase classname="raft-chaos" name="nightly" time="0">\n' +
        '      <error type="unknown" message="no scenario ran">No run wrote a junit.xml, so nothing was tested.</error>\n' +
        '    </testcase>\n  </testsuite>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="raft-chaos" tests="${tests}" failures="${failures}" errors="${errors}" time="${time.toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * Combines `<reportsDir>/<run>/junit.xml` of the given runs (default: every run directory
 * holding one, in name order) into `outFile` (default `<reportsDir>/junit.xml`).
 * Returns the file written and the totals.
 */
export async function writeCombinedJUnit(
  reportsDir: string,
  options: { outFile?: string; runs?: readonly string[] } = {},
): Promise<{ file: string; runs: number; failures: number; errors: number }> {
  const runs =
    options.runs ??
    (await readdir(reportsDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  const docs: string[] = [];
  for (const run of runs) {
    try {
      docs.push(await readFile(join(reportsDir, run, 'junit.xml'), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  const xml = combineJUnit(docs);
  const file = options.outFile ?? join(reportsDir, 'junit.xml');
  await writeFile(file, xml);
  const head = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  return { file, runs: docs.length, failures: attr(head, 'failures'), errors: attr(head, 'errors') };
}
