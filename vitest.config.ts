import { defaultClientConditions, defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

// Workspace packages export `source` (TypeScript) beside `default` (compiled dist/): tests run on source.
const sourceFirst = { client: ['source', ...defaultClientConditions], server: ['source', ...defaultServerConditions] };

export default defineConfig({
  resolve: { conditions: sourceFirst.client },
  ssr: { resolve: { conditions: sourceFirst.server } },
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
