/**
 * Two test projects:
 * - unit:  src/**\/*.test.ts, beside the code they test (foo.ts + foo.test.ts), plain Node.
 * - world: test/**\/*.test.ts, against the local test world (DNS, DoH and web servers started by
 *          test/world/global-setup.ts); slow, so long time-outs and one file at a time.
 * Run one with `vitest run --project unit`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'world',
          include: ['test/**/*.test.ts'],
          exclude: ['test/world/run/**', '**/node_modules/**'],
          environment: 'node',
          globalSetup: ['test/world/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // A failed world test runs once more: browser e2e in Chromium showed rare stalls (a popup's
          // mail check or the generator's TLSA lookup never answered, once in five full runs; not
          // reproduced alone). A retry must pass in full; the stall is an open item, not hidden.
          retry: 1,
        },
      },
    ],
  },
});
