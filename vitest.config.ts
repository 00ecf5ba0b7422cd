import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'server/src/**/*.test.ts', 'client/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server tests start real servers and child processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
