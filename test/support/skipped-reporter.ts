/**
 * Says loudly, at the end of every run, what was skipped and why: the suites that need an optional
 * test dependency (Chromium, PostgreSQL) say so in their title (`skippedTitle`, skip-reason.ts), as
 * do README commands that cannot run in a test. Only those are listed: a test left out by `-t`,
 * `.only` or `.skip` without a reason is a choice of the run, not a missing dependency.
 */
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';
import { skipReasonOf } from './skip-reason.ts';

interface Skipped {
  file: string;
  name: string;
  reason: string;
  tests: number;
}

export default class SkippedReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = testModules.flatMap(skippedWithReason);
    if (skipped.length === 0) return;
    const total = skipped.reduce((sum, entry) => sum + entry.tests, 0);
    const lines = [
      '',
      `SKIPPED: ${total} test(s) did not run, each for the reason given. Chromium (/usr/bin/chromium or`,
      'REQASE_CHROMIUM) and PostgreSQL (127.0.0.1:5432, database test, or REQASE_TEST_POSTGRES_URL) are',
      'optional test dependencies; tests left out by -t or .only are not listed:',
      ...skipped.map((entry) => `  - ${entry.file}: ${entry.name} (${entry.tests} test(s)): ${entry.reason}`),
      '',
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}

/** The outermost skipped suites and tests of a file whose title gives a reason. */
export function skippedWithReason(module: TestModule): Skipped[] {
  const file = module.moduleId.replace(`${process.cwd()}/`, '');
  const found: Skipped[] = [];
  const visit = (entry: TestSuite | TestCase): void => {
    const reason = skipReasonOf(entry.name);
    if (entry.type === 'suite') {
      const tests = [...entry.children.allTests()];
      if (reason !== undefined && entry.state() === 'skipped') {
        found.push({ file, name: withoutReason(entry.fullName, reason), reason, tests: tests.length });
        return;
      }
      for (const child of entry.children) visit(child);
      return;
    }
    if (reason !== undefined && entry.result().state === 'skipped') {
      found.push({ file, name: withoutReason(entry.fullName, reason), reason, tests: 1 });
    }
  };
  for (const child of module.children) visit(child);
  return found;
}

function withoutReason(name: string, reason: string): string {
  return name.replace(` (SKIPPED: ${reason})`, '');
}
