import type {
  JobProgress,
  JobRecord,
  JobRepository,
  JobStatus,
  StoryRecord,
  StoryRepository,
  TaskCompletion,
} from '../core/repositories.ts';

/** The repositories the jobs layer uses; a `Storage` from `src/storage/` fits. */
export interface JobStorage {
  readonly jobs: JobRepository;
  readonly stories: StoryRepository;
}

/** What `generateForStory` is told about the task it works on. */
export interface GenerateForStoryContext {
  job: JobRecord;
  /** 1 on the first claim of the task, 2 on the next, … (a claim after a crash counts too). */
  attempt: number;
  /** Aborted when the job is cancelled, its budget is reached, or the worker stops. */
  signal: AbortSignal;
}

/**
 * The per-story work, injected by the app (core's generation with the project's provider).
 * Thrown errors may carry `retryable: boolean` and `retryAfterMilliseconds: number` (LLM errors do).
 */
export type GenerateForStory = (
  story: StoryRecord,
  context: GenerateForStoryContext,
) => Promise<TaskCompletion>;

/** Progress as shown to people: `remaining` is pending plus running. */
export interface JobProgressSummary extends JobProgress {
  remaining: number;
}

/** Progress events, named noun-verb, discriminated on `kind`. */
export type JobEvent =
  | { kind: 'job-start'; jobId: string; workerId: string; progress: JobProgressSummary }
  | { kind: 'task-start'; jobId: string; taskId: string; storyId: string; attempt: number }
  | {
      kind: 'task-end';
      jobId: string;
      taskId: string;
      storyId: string;
      attempt: number;
      testCases: number;
      tokens: number;
      /** True when another worker (or this one before a crash) had already stored it. */
      alreadyDone: boolean;
    }
  | {
      kind: 'task-retry';
      jobId: string;
      taskId: string;
      storyId: string;
      attempt: number;
      error: string;
      delayMilliseconds: number;
    }
  | { kind: 'task-fail'; jobId: string; taskId: string; storyId: string; attempt: number; error: string }
  | {
      kind: 'task-release';
      jobId: string;
      taskId: string;
      storyId: string;
      reason: 'cancelled' | 'budget-exhausted' | 'worker-stopped' | 'lease-lost';
    }
  | {
      kind: 'job-progress';
      jobId: string;
      total: number;
      done: number;
      failed: number;
      running: number;
      remaining: number;
      testCases: number;
      tokens: number;
    }
  | { kind: 'job-end'; jobId: string; status: JobStatus; progress: JobProgressSummary };

export type JobEventListener = (event: JobEvent) => void;
