import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The machines have two cores; DuckDB and child processes compete with workers.
    maxWorkers: 2,
  },
});
