/**
 * A large import must not freeze the server: a multipart import of 10,000 stories held the event
 * loop for seconds (SQLite's driver is synchronous and every await in a chain of queries stays in
 * the microtask queue), so `/api/health` went unanswered until it ended. The import now parses,
 * checks and hashes a large input in a worker thread, writes in chunks that let the event loop run
 * every few milliseconds inside its one transaction, and writes its result a slice at a time.
 * `npm run bench -- --only import` measures the latencies.
 *
 * Asserted without timing: health requests complete while the import's response is still
 * outstanding. The event-loop delay and health latencies are printed for the report.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkspaceServer, type WorkspaceServer } from '../server/workspace-server.ts';
import { describeDialect, DIALECTS, isAvailable } from '../storage/storage-setup.ts';
import { storyFile, uploadStories } from '../support/story-upload.ts';

const STORY_COUNT = 10_000;

function percentileOf(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('a 10,000-story import over HTTP', dialect), () => {
    let api: WorkspaceServer;

    beforeAll(async () => {
      api = await startWorkspaceServer(dialect);
      expect((await api.call('POST', '/api/projects', { name: 'P' })).status).toBe(201);
    });
    afterAll(async () => {
      await api?.dispose();
    });

    it('leaves /api/health answering while the import runs, and imports every story', async () => {
      const delay = monitorEventLoopDelay({ resolution: 5 });
      const upload = uploadStories(`${api.server.url}/api/projects/P/stories/import`, storyFile(STORY_COUNT));
      let importAnswered = false;
      const answered = upload.response.finally(() => (importAnswered = true));
      await upload.uploaded;
      delay.enable();
      const started = performance.now();

      // Health requests one after another until the import answers: those completing before it
      // were answered while it was still running.
      const latencies: number[] = [];
      let answeredDuringImport = 0;
      while (!importAnswered) {
        const sent = performance.now();
        const health = await fetch(`${api.server.url}/api/health`);
        expect(health.status).toBe(200);
        await health.text();
        latencies.push(performance.now() - sent);
        if (!importAnswered) answeredDuringImport += 1;
      }
      const result = await answered;
      const importMilliseconds = performance.now() - started;
      delay.disable();

      expect(result.status, result.text.slice(0, 500)).toBe(200);
      expect(answeredDuringImport).toBeGreaterThanOrEqual(5);
      const imported = JSON.parse(result.text) as { stories: Array<{ status: string }> };
      expect(imported.stories.filter((story) => story.status === 'created')).toHaveLength(STORY_COUNT);

      const milliseconds = (nanoseconds: number) => Math.round(nanoseconds / 1e5) / 10;
      console.log(
        `[${dialect}] import after upload ${Math.round(importMilliseconds)} ms; ` +
          `${answeredDuringImport} health answers during it; health latency p50 ${percentileOf(latencies, 0.5).toFixed(1)} ms, ` +
          `p99 ${percentileOf(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; ` +
          `event-loop delay p99 ${milliseconds(delay.percentile(99))} ms, max ${milliseconds(delay.max)} ms`,
      );
    }, 180_000);
  });
}
