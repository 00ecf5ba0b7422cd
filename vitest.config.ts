import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'server/src/**/*.test.ts', 'client/src/**/*.test.ts', 'bench/src/**/*.test.ts'],
    // The process-level cluster tests (nginx, several instances, kills) run with `npm run test:cluster`.
    exclude: [...configDefaults.exclude, '**/*.cluster.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server tests start real servers and child processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
