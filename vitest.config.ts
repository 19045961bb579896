import { defineConfig } from 'vitest/config';

// Two projects: unit/compat tests need nothing running; integration tests get a real Apache Kafka
// broker started once by the global setup (or the one named by SLUICE_TEST_BOOTSTRAP).
export default defineConfig({
  test: {
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/compat/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/kafka-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          // Two cores: integration files run one at a time so timings stay honest.
          fileParallelism: false,
        },
      },
    ],
  },
});
