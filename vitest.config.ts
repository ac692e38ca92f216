import { defineConfig } from 'vitest/config';

// unit: pure functions beside the code; api: the HTTP API in-process (PGlite, or PostgreSQL when
// TEST_DATABASE_URL is set); e2e: the built product in Debian's Chromium.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['apps/server/src/**/*.test.ts', 'apps/widget/src/**/*.test.ts', 'apps/web/src/**/*.test.ts'], environment: 'node' } },
      // API files run two at a time too: each file has its own database (a fresh one on
      // TEST_DATABASE_URL's server) and its own Redis key prefix.
      { test: { name: 'api', include: ['apps/server/test/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000, fileParallelism: true } },
      // Browser files run two at a time: each has its own server, port, data folder and database
      // (harness.ts), and most of their time is spent waiting on the page.
      { test: { name: 'e2e', include: ['e2e/**/*.e2e.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 90_000, fileParallelism: true } },
    ],
  },
});
