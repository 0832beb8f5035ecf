/**
 * Says loudly, at the end of every run, what was skipped and why: the suites that need an optional
 * test dependency (Chromium, PostgreSQL) name it in their title, and README commands that cannot
 * run in a test name their reason. A green run with silent skips would hide untested code.
 */
import type { Reporter, TestModule, TestSuite } from 'vitest/node';

interface Skipped {
  file: string;
  name: string;
  tests: number;
}

export default class SkippedReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: Skipped[] = [];
    for (const module of testModules) {
      const file = module.moduleId.replace(`${process.cwd()}/`, '');
      const outermost = new Set<TestSuite>();
      for (const suite of module.children.allSuites()) {
        if (suite.state() !== 'skipped') continue;
        if (suite.parent.type === 'suite' && suite.parent.state() === 'skipped') continue;
        outermost.add(suite);
        skipped.push({ file, name: suite.fullName, tests: [...suite.children.allTests()].length });
      }
      for (const test of module.children.allTests()) {
        if (test.result().state !== 'skipped') continue;
        let parent = test.parent;
        let inSkippedSuite = false;
        while (parent.type === 'suite') {
          if (outermost.has(parent)) inSkippedSuite = true;
          parent = parent.parent;
        }
        if (!inSkippedSuite) skipped.push({ file, name: test.fullName, tests: 1 });
      }
    }
    if (skipped.length === 0) return;
    const total = skipped.reduce((sum, entry) => sum + entry.tests, 0);
    const lines = [
      '',
      `SKIPPED: ${total} test(s) did not run. Chromium (/usr/bin/chromium or REQASE_CHROMIUM) and PostgreSQL`,
      '(127.0.0.1:5432, database test, or REQASE_TEST_POSTGRES_URL) are optional test dependencies:',
      ...skipped.map((entry) => `  - ${entry.file}: ${entry.name} (${entry.tests} test(s))`),
      '',
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}
