/** Jobs as people and clients see them: project names instead of ids, progress summed up, skips explained. */
import type { JobRecord, JobTaskStatus } from '../../core/index.ts';
import { requireJob, summarizeProgress } from '../../jobs/index.ts';
import type { Storage } from '../../storage/index.ts';
import type { JobDetails, JobView } from './job-types.ts';

export async function projectNames(storage: Storage): Promise<Map<string, string>> {
  return new Map((await storage.projects.list()).map((project) => [project.id, project.name]));
}

export function view(job: JobRecord, projectName: string): JobView {
  return {
    id: job.id,
    project: projectName,
    status: job.status,
    provider: textOption(job.options, 'provider'),
    model: textOption(job.options, 'model'),
    options: job.options,
    budget: job.budget,
    error: job.error,
    progress: summarizeProgress(job.progress),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    finishedAt: job.finishedAt,
  };
}

/** A text option of the job as stored (a job of an older version may lack it). */
function textOption(options: Record<string, unknown>, name: 'provider' | 'model'): string | null {
  const value = options[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

export async function viewOf(storage: Storage, job: JobRecord): Promise<JobView> {
  const project = await storage.projects.get(job.projectId);
  return view(job, project?.name ?? job.projectId);
}

/** The job with each story's task, and why a done story generated nothing (already covered). */
export async function jobDetails(storage: Storage, jobId: string): Promise<JobDetails> {
  const job = await requireJob(storage, jobId);
  const stories = new Map((await storage.stories.list(job.projectId)).map((story) => [story.id, story]));
  const tasks = await storage.jobs.listTasks(jobId);
  const skipped = await skippedReasons(storage, tasks);
  return {
    ...(await viewOf(storage, job)),
    tasks: tasks.map((task) => ({
      id: task.id,
      storyKey: stories.get(task.storyId)?.key ?? '(removed story)',
      storySummary: stories.get(task.storyId)?.summary ?? '',
      status: task.status,
      attempts: task.attempts,
      lastError: task.lastError,
      testCaseCount: task.testCaseCount,
      tokensUsed: task.tokensUsed,
      generationId: task.generationId,
      skipped: skipped.get(task.id) ?? null,
      updatedAt: task.updatedAt,
    })),
  };
}

/**
 * The tasks that finished without generating because their story was already covered: their
 * generation record is the marker `prepareGeneration` stores (no criteria asked for, the reason as
 * its only warning). Only done tasks with no test case are looked at.
 */
async function skippedReasons(
  storage: Storage,
  tasks: ReadonlyArray<{
    id: string;
    status: JobTaskStatus;
    testCaseCount: number;
    generationId: string | null;
  }>,
): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  for (const task of tasks) {
    if (task.status !== 'done' || task.testCaseCount > 0 || task.generationId === null) continue;
    const generation = await storage.generations.get(task.generationId);
    const prompt = generation?.prompt as { onlyChanged?: unknown; criteria?: unknown } | null | undefined;
    if (prompt?.onlyChanged === true && Array.isArray(prompt.criteria) && prompt.criteria.length === 0) {
      reasons.set(task.id, generation?.warnings[0] ?? 'already covered');
    }
  }
  return reasons;
}
