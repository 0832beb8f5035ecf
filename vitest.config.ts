import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/support/longest-first-sequencer.ts';

/**
 * Unit tests: no child process, database or browser (some talk to the fake endpoint over HTTP and
 * close it), and no module-level state a later file could see (an env stub is undone after each file: `unstubEnvs`). They share one
 * module graph per worker thread (`isolate: false`), instead of importing zod, the prompts and the
 * parsers again for every file.
 */
const UNIT_TESTS = [
  'src/connectors/**/*.test.ts',
  'src/core/**/*.test.ts',
  'src/formats/**/*.test.ts',
  'src/jobs/**/*.test.ts',
  'src/llm/**/*.test.ts',
  'src/server/**/*.test.ts',
  'src/shared/**/*.test.ts',
  'test/core/answer-corpus.test.ts',
  'test/core/generation-corpus.test.ts',
  'test/errors/**/*.test.ts',
  'test/llm/client-*.test.ts',
];

export default defineConfig({
  test: {
    // Ceilings only, never budgets: tests wait on events (a line, an exit, a port), and a test
    // that hangs is ended here; every child it started is killed with it (end-children.ts).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    setupFiles: ['./test/support/end-children.ts'],
    // Two cores on the project's machines: keep parallelism modest so timing-sensitive
    // HTTP tests are not starved.
    maxWorkers: 2,
    // The default listing, then what was skipped and why (optional test dependencies missing).
    reporters: ['default', './test/support/skipped-reporter.ts'],
    // The longest files start first also on a run with no recorded durations.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT_TESTS,
          pool: 'threads',
          isolate: false,
          unstubEnvs: true,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: UNIT_TESTS,
          // Child processes, servers, databases and browsers, in forked workers (process.chdir
          // works there). Each worker imports the module graph (zod, hono, kysely, openai, the
          // app) once for all its files: every file undoes what it changes (servers closed,
          // databases removed, env stubs undone in afterAll, children killed by end-children.ts).
          pool: 'forks',
          isolate: false,
          // Bundles the CLI once per run for the child-process tests (quicker than tsx per process).
          globalSetup: ['./test/support/global-setup.ts'],
        },
      },
    ],
  },
});
