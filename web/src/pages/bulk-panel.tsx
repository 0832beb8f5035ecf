/**
 * Bulk generation of the selected stories: the provider and model every story asks (the same
 * picker as the generate dialog), one job, its progress polled until it ends.
 */
import { useEffect, useState } from 'react';
import { api, type Job } from '../api.ts';
import { ErrorMessage } from '../components.tsx';
import { EnginePicker, type EngineRequest } from './engine-picker.tsx';

const finished = new Set(['completed', 'failed', 'cancelled', 'budget-exhausted']);

/** Bulk generation: one job for the selected stories with the picked engine, polled until it ends. */
export function BulkPanel({
  project,
  storyKeys,
  onFinished,
}: {
  project: string;
  storyKeys: string[];
  onFinished: () => void;
}) {
  const [job, setJob] = useState<Job | undefined>();
  const [error, setError] = useState<unknown>();
  const [engineRequest, setEngineRequest] = useState<EngineRequest>({});

  useEffect(() => {
    // A finished job is read once more when it came back without its tasks (from the start).
    if (!job || (finished.has(job.status) && job.tasks)) return;
    const timer = setTimeout(() => {
      api.getJob(job.id).then(
        (next) => {
          setJob(next);
          if (finished.has(next.status)) onFinished();
        },
        (caught: unknown) => setError(caught),
      );
    }, 700);
    return () => clearTimeout(timer);
  }, [job, onFinished]);

  async function start() {
    setError(undefined);
    try {
      setJob(await api.startJob(project, storyKeys, engineRequest));
    } catch (caught) {
      setError(caught);
    }
  }

  async function cancel() {
    if (!job) return;
    try {
      setJob(await api.cancelJob(job.id));
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section aria-label="Bulk generation" className="bulk stack">
      {storyKeys.length > 0 ? <EnginePicker project={project} onChange={setEngineRequest} /> : null}
      <div className="toolbar">
        <button
          type="button"
          onClick={() => void start()}
          disabled={storyKeys.length === 0 || (job !== undefined && !finished.has(job.status))}
        >
          Generate for {storyKeys.length} selected {storyKeys.length === 1 ? 'story' : 'stories'}
        </button>
        {job && !finished.has(job.status) ? (
          <button type="button" onClick={() => void cancel()}>
            Cancel job
          </button>
        ) : null}
      </div>
      <ErrorMessage error={error} />
      {job ? <JobProgress job={job} /> : null}
    </section>
  );
}

/** Why a story of the job generated nothing, worded for the web app (the CLI names its flag). */
const ALREADY_COVERED =
  'skipped: already covered — every criterion already has an up-to-date test case; regenerate to replace them';

/** The job's progress bar, its summary line, and each story that failed or was skipped. */
function JobProgress({ job }: { job: Job }) {
  const { progress } = job;
  const done = progress.done + progress.failed;
  const failed = job.tasks?.filter((task) => task.status === 'failed') ?? [];
  const skipped = job.tasks?.filter((task) => task.skipped !== null) ?? [];
  return (
    <div className="job">
      <progress max={progress.total || 1} value={done} aria-label="Job progress" />
      {job.model || job.provider ? (
        <span className="muted" data-testid="job-engine">
          {job.model ? `Model ${job.model}` : 'The provider’s own model'}
          {job.provider ? ` of provider ${job.provider}` : ' of the project’s default provider'}
        </span>
      ) : null}
      <span data-testid="job-summary">
        {job.status}: {done}/{progress.total} stories, {progress.testCases} test cases
        {progress.failed ? `, ${progress.failed} failed` : ''}
        {skipped.length
          ? skipped.length === progress.total
            ? `; ${ALREADY_COVERED}`
            : `; ${skipped.length} skipped: already covered`
          : ''}
        {job.error ? ` (${job.error})` : ''}
      </span>
      {failed.length ? (
        <ul className="job-failures">
          {failed.map((task) => (
            <li key={task.storyKey}>
              {task.storyKey}: {task.lastError ?? 'failed'}
            </li>
          ))}
        </ul>
      ) : null}
      {skipped.length ? (
        <ul className="job-skipped" aria-label="Skipped stories">
          {skipped.map((task) => (
            <li key={task.storyKey}>
              {task.storyKey}: {ALREADY_COVERED}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
