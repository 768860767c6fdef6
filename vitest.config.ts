import { defineConfig } from 'vitest/config';

// Two projects: fast pure tests run in parallel; tests that start real processes,
// sockets or containers (*.int.test.ts) run one file at a time so they do not starve
// each other of the machine's two cores and skew timing-sensitive assertions.
export default defineConfig({
  test: {
    // The JSON report lets .ci/run print one plain "N passed, N failed" line.
    // npm test runs the two projects one after the other; VITEST_JSON names the second's file.
    reporters: ['default', ['json', { outputFile: process.env.VITEST_JSON ?? '.tmp/vitest-results.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{node,harness,scenarios,common,examples}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{node,harness,scenarios,common}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
