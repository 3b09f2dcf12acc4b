import { defineConfig } from 'vitest/config';

/** Pure logic: no server is built or started, so these run in seconds anywhere. */
const unit = [
  'domain/**/*.test.ts',
  'services/**/*.test.ts',
  'web/**/*.test.ts',
  'test/unit/**/*.test.ts',
];

export default defineConfig({
  test: {
    pool: 'forks',
    // Two cores: run files two at a time against the shared servers.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: unit, testTimeout: 10_000 } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each email at once, as planned: the window's own tests set one (emails-combined*.test.ts).
          // Processes the tests start serve metrics on any free port, so several can run at once.
          env: { EMAIL_WINDOW_SECONDS: '0', METRICS_PORT: '0', WORKER_METRICS_PORT: '0' },
        },
      },
    ],
  },
});
