import { defineConfig } from 'vitest/config';

/** `npm run test:cluster`: Redis + two real instances + nginx (deploy/nginx.conf), with kills and restarts. */
export default defineConfig({
  test: {
    include: ['server/src/cluster/**/*.cluster.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // One topology at a time: each test runs several processes on two cores.
    fileParallelism: false,
    maxWorkers: 1,
    // The kill -9 test used to fail about one run in four: a client handing back a dead instance's
    // edits took over their author's client id, so the author's next keystrokes were left out
    // (fixed in the authorship extension; presence.test.ts reproduces it deterministically). It has
    // passed every run since; one retry on a fresh topology, same assertions, stays until more CI
    // runs confirm it.
    retry: 1,
  },
});
