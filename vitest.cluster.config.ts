import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** `npm run test:cluster`: Redis + two real instances + nginx (deploy/nginx.conf), with kills and restarts. */
export default defineConfig({
  // Workspace packages: TypeScript source (the `source` export condition), not their compiled dist/.
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    include: ['server/src/cluster/**/*.cluster.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // One topology at a time: each test runs several processes on two cores.
    fileParallelism: false,
    maxWorkers: 1,
    // No retries: a flaky cluster test is a bug report (one retry here once hid a data-loss bug).
  },
});
