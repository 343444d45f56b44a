import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/fixtures/**', 'examples/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Fails the run when a process the suite started is still running at the end (see the file).
    globalSetup: ['test/helpers/suite-leftovers.ts'],
  },
});
