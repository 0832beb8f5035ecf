/**
 * Vitest's own order, except on a run without recorded durations (a fresh clone, a cleared
 * cache): vitest then orders by file size, which can put a small but long file (a browser suite)
 * near the end, where it bounds the run's wall time on two workers. The files
 * named here, the longest of a run, start first instead; once vitest has recorded their durations
 * it orders them itself (failed first, then longest first).
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The six longest files of a fresh-clone CI run (2026-12-02, after the push suites were split per
// dialect and serve-first-run stopped building the whole app); refresh from a run's listing when
// they change.
export const KNOWN_LONGEST = [
  'test/web/web-app.test.ts',
  'test/web/api-contract.test.ts',
  'test/web/providers-and-theme.test.ts',
  'test/jobs/multi-process.test.ts',
  'test/workspace/jobs-service.test.ts',
  'test/server/jobs-api.test.ts',
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification): number => {
      const file = relative(root, spec.moduleId);
      const index = KNOWN_LONGEST.indexOf(file);
      if (index === -1) return -1;
      // Recorded: vitest's order already accounts for it.
      return this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`) ? -1 : index;
    };
    // Within each project (vitest runs projects one after another), the unrecorded long files first.
    const projects = new Map<string, TestSpecification[]>();
    for (const spec of sorted) {
      const group = projects.get(spec.project.name) ?? [];
      group.push(spec);
      projects.set(spec.project.name, group);
    }
    return [...projects.values()].flatMap((group) => {
      const first = group.filter((spec) => rank(spec) >= 0).sort((a, b) => rank(a) - rank(b));
      return [...first, ...group.filter((spec) => rank(spec) < 0)];
    });
  }
}
