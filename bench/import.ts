/**
 * import: a multipart import of many JSON stories over HTTP (the server in this process, on SQLite
 * and on PostgreSQL when it answers), with `GET /api/health` sent one after another while the
 * import runs. Reports health latency p50/p99/max, the event-loop delay p99/max
 * (`monitorEventLoopDelay`) during the import, and the import's duration. Baseline: health
 * latency on the idle server just before.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startWorkspaceServer } from '../test/server/workspace-server.ts';
import { storyFile, uploadStories } from '../test/support/story-upload.ts';
import { DIALECTS, isAvailable, type TestDialect } from '../test/storage/storage-setup.ts';
import { median, percentile, type Figure } from './support.ts';

export interface ImportOptions {
  stories: number;
  /** Health requests on the idle server for the baseline. */
  idleRequests: number;
}

export async function benchmarkImport(options: ImportOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const dialect of DIALECTS) {
    if (!isAvailable(dialect)) continue;
    figures.push(...(await importOnce(dialect, options)));
  }
  return figures;
}

async function importOnce(dialect: TestDialect, options: ImportOptions): Promise<Figure[]> {
  const api = await startWorkspaceServer(dialect);
  try {
    const created = await api.call('POST', '/api/projects', { name: 'P' });
    if (created.status !== 201) throw new Error(`import: creating the project answered ${created.status}`);
    const health = () => timedHealth(`${api.server.url}/api/health`);
    const idle: number[] = [];
    for (let round = 0; round < options.idleRequests; round += 1) idle.push(await health());

    const delay = monitorEventLoopDelay({ resolution: 5 });
    const upload = uploadStories(
      `${api.server.url}/api/projects/P/stories/import`,
      storyFile(options.stories),
    );
    let importAnswered = false;
    const answered = upload.response.finally(() => (importAnswered = true));
    await upload.uploaded;
    delay.enable();
    const started = performance.now();
    const during: number[] = [];
    while (!importAnswered) {
      const latency = await health();
      if (!importAnswered) during.push(latency);
    }
    const result = await answered;
    const importMilliseconds = performance.now() - started;
    delay.disable();
    if (result.status !== 200)
      throw new Error(`import: the import answered ${result.status}: ${result.text.slice(0, 300)}`);

    const benchmark = `import ${options.stories} (${dialect})`;
    const milliseconds = (nanoseconds: number) => nanoseconds / 1e6;
    const note = `${during.length} health answers during the import`;
    return [
      { benchmark, metric: 'import after upload', value: importMilliseconds, unit: 'ms', note },
      {
        benchmark,
        metric: 'health p50',
        value: median(during),
        unit: 'ms',
        baseline: median(idle),
        baselineLabel: 'idle server',
      },
      {
        benchmark,
        metric: 'health p99',
        value: percentile(during, 0.99),
        unit: 'ms',
        baseline: percentile(idle, 0.99),
        baselineLabel: 'idle server',
      },
      {
        benchmark,
        metric: 'health max',
        value: Math.max(...during),
        unit: 'ms',
        baseline: Math.max(...idle),
        baselineLabel: 'idle server',
      },
      { benchmark, metric: 'event-loop delay p99', value: milliseconds(delay.percentile(99)), unit: 'ms' },
      { benchmark, metric: 'event-loop delay max', value: milliseconds(delay.max), unit: 'ms' },
    ];
  } finally {
    await api.dispose();
  }
}

async function timedHealth(url: string): Promise<number> {
  const sent = performance.now();
  const response = await fetch(url);
  await response.text();
  if (response.status !== 200) throw new Error(`import: /api/health answered ${response.status}`);
  return performance.now() - sent;
}
