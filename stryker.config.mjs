// StrykerJS configuration for `npm run mutation` (harness/src/cli/mutation-main.ts adds
// the per-run choices: which files, how hard a search per mutant, concurrency). Each mutant of
// the node's election code is tested by a bounded simulated random search; the local plugin
// maps the harness's exit code (1 killed, 0 survived, else an error).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  plugins: ['./harness/src/mutation/stryker-plugin.ts'],
  testRunner: 'raft-harness',
  // The command runs on Stryker's sandbox copy, where the mutated sources are.
  commandRunner: { command: 'node --import tsx harness/src/cli/mutant-main.ts' },
  // The test runner's worker must load the TypeScript plugin too.
  testRunnerNodeArgs: ['--import', 'tsx'],
  checkerNodeArgs: ['--import', 'tsx'],
  coverageAnalysis: 'off',
  // The election code (node/src/core, its tests, test helpers and simulator excluded) and the
  // server's persistence and reply path that the simulation runs (driver.ts, storage.ts).
  // mutation-main.ts passes its own list (the same by default); this one serves a bare Stryker.
  mutate: [
    'node/src/core/*.ts',
    '!node/src/core/*.test.ts',
    '!node/src/core/test-helpers.ts',
    '!node/src/core/index.ts',
    'node/src/server/driver.ts',
    'node/src/server/storage.ts',
  ],
  ignorePatterns: ['reports', '.tmp', 'docs', '.stryker-tmp', 'coverage', 'dist'],
  reporters: ['html', 'json', 'raft-summary', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 1,
  // A search per mutant takes seconds; a mutant that makes the simulation hang is cut off.
  timeoutMS: 60_000,
  timeoutFactor: 3,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
