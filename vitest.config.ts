import { defineConfig } from 'vitest/config';

// Unit tests run in parallel; integration and end-to-end tests start real processes and a real
// browser, so the machine's two cores run those files one at a time (see the projects below).
export default defineConfig({
  test: {
    globals: true,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
