import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores on the project's machines: keep parallelism modest so timing-sensitive
    // HTTP tests are not starved.
    maxWorkers: 2,
    // The default listing, then what was skipped and why (optional test dependencies missing).
    reporters: ['default', './test/support/skipped-reporter.ts'],
  },
});
