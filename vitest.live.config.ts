import { defineConfig } from 'vitest/config';

/** Tests against services we cannot install (Dremio, Jira): run with their URLs and credentials set. */
export default defineConfig({
  test: {
    include: ['test/**/*.live.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
  },
});
