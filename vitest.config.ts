import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Ceilings only, never budgets: tests wait on events (a line, an exit, a port), and a test
    // that hangs is ended here; every child it started is killed with it (end-children.ts).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    setupFiles: ['./test/support/end-children.ts'],
    // Bundles the CLI once per run for the child-process tests (quicker than tsx per process).
    globalSetup: ['./test/support/global-setup.ts'],
    // Two cores on the project's machines: keep parallelism modest so timing-sensitive
    // HTTP tests are not starved.
    maxWorkers: 2,
    // The default listing, then what was skipped and why (optional test dependencies missing).
    reporters: ['default', './test/support/skipped-reporter.ts'],
  },
});
