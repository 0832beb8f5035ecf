/** The job service's contract: its inputs, views and results (no I/O here). */
import type { JobBudget, JobStatus, JobTaskStatus } from '../../core/index.ts';
import type { BackoffOptions, JobEventListener, JobProgressSummary } from '../../jobs/index.ts';
import type { EngineSummary } from '../generate-from-file.ts';
import type { JobGenerationOptions } from './generation.ts';

/** Tasks run at once when the engine has no limit of its own (the offline rules engine). */
export const DEFAULT_JOB_CONCURRENCY = 4;

export interface StartJobInput {
  projectName: string;
  /** The stories to generate for, by key. Give these or `all`. */
  storyKeys?: string[];
  /** Every story of the project. */
  all?: boolean;
  /**
   * Format, count, kinds, provider, model, offline, additional context, fill gaps, language, and
   * `onlyChanged` (default true: stories whose criteria all have an up-to-date case are skipped).
   */
  options?: JobGenerationOptions;
  /** Stops the job cleanly once done stories stored this many test cases or used this many tokens. */
  budget?: JobBudget;
}

/** A job as people and clients see it. */
export interface JobView {
  id: string;
  /** The project's name. */
  project: string;
  status: JobStatus;
  /** The stored provider every story asks; null: the project's default provider (or offline). */
  provider: string | null;
  /** The model every story asks; null: the provider's own model at the time each story runs. */
  model: string | null;
  options: Record<string, unknown>;
  budget: JobBudget | null;
  /** Why the job failed or stopped, if it did. */
  error: string | null;
  /** Done, failed, remaining (pending + running), test cases stored and tokens used. */
  progress: JobProgressSummary;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface StartedJob extends JobView {
  /** The engine the job's stories are generated with. */
  engine: EngineSummary;
  /** What was assumed while resolving the provider. */
  notices: string[];
}

export interface JobTaskView {
  id: string;
  storyKey: string;
  storySummary: string;
  status: JobTaskStatus;
  attempts: number;
  lastError: string | null;
  testCaseCount: number;
  tokensUsed: number;
  generationId: string | null;
  /**
   * Why the story was skipped without generating, e.g. every criterion already has an up-to-date
   * case (a bulk run without `regenerate`); null when it was generated or is not done.
   */
  skipped: string | null;
  updatedAt: string;
}

export interface JobDetails extends JobView {
  tasks: JobTaskView[];
}

export interface JobRunOptions {
  /** Stops the run: no new story is taken, running ones are given back unfinished; the job stays resumable. */
  signal?: AbortSignal;
  onEvent?: JobEventListener;
  /** Stories generated at once. Default: the provider's `concurrency` limit, else 4. */
  concurrency?: number;
  /** Request starts per minute. Default: the provider's `requestsPerMinute` limit, else none. */
  requestsPerMinute?: number;
  /**
   * How long a claimed story stays locked without renewal, in ms; a heartbeat renews it while the
   * story runs, so a killed worker's stories run again after at most this long. Default: 10000.
   */
  leaseMilliseconds?: number;
  /** Attempts of a story before a retryable failure fails it for good. Default: 3. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** How often a run waiting for retries or other workers looks again, in ms. Default: 1000. */
  pollIntervalMilliseconds?: number;
}

export interface JobRunResult {
  /** `finished`: the job is final (completed, failed, cancelled, budget-exhausted); `stopped`: the signal aborted. */
  reason: 'finished' | 'stopped';
  job: JobView;
  /** Stories this run completed, failed for good, put back for a retry, and gave back unfinished. */
  completed: number;
  failed: number;
  retried: number;
  released: number;
}

export interface WorkOptions {
  /** Required: the worker runs until it aborts. */
  signal: AbortSignal;
  onEvent?: JobEventListener;
  /** Stories generated at once across jobs. Default: 4. */
  concurrency?: number;
  /** See `JobRunOptions.leaseMilliseconds`. Default: 10000. */
  leaseMilliseconds?: number;
  pollIntervalMilliseconds?: number;
}

export interface WorkResult {
  /** `pg-boss` on PostgreSQL (workers on any machine share jobs), `table` on SQLite. */
  queue: 'pg-boss' | 'table';
  completed: number;
  failed: number;
  retried: number;
  released: number;
}

export interface JobService {
  /**
   * Creates a durable bulk job (one task per story). On PostgreSQL its tasks are also announced
   * through pg-boss, so `reqase worker` processes anywhere pick them up. Nothing runs yet.
   */
  start(input: StartJobInput): Promise<StartedJob>;
  /**
   * Runs the job in this process until it is final or `signal` aborts. Resumes an interrupted job
   * (stories held by a process of this machine that died are taken back at once on SQLite).
   */
  run(jobId: string, options?: JobRunOptions): Promise<JobRunResult>;
  /** Like `run`, and re-opens a cancelled job first. */
  resume(jobId: string, options?: JobRunOptions): Promise<JobRunResult>;
  /** Makes a cancelled job active again (a queued or running one stays as it is); refuses a finished one. */
  reopen(jobId: string): Promise<JobView>;
  /** Starts `run` without waiting (the server); a job already running here is not started twice. */
  runInBackground(jobId: string, options?: Omit<JobRunOptions, 'signal'>): Promise<JobRunResult>;
  /** True while a run of the job is going on in this process. */
  isRunningHere(jobId: string): boolean;
  /**
   * Events of the job's runs in this process and, on PostgreSQL, in every other process on the
   * database (server instances, workers); returns the unsubscribe function.
   */
  subscribe(jobId: string, listener: JobEventListener): () => void;
  /**
   * Resolves once events and cancels sent by other processes on the database reach this one (at
   * once on SQLite, where there are none); a server stream awaits it before its first event.
   */
  listening(): Promise<void>;
  /** Newest first; all projects when no name is given. */
  list(projectName?: string): Promise<JobView[]>;
  /** The job and its progress, without its tasks. */
  get(jobId: string): Promise<JobView>;
  /** The job with each story's task. */
  show(jobId: string): Promise<JobDetails>;
  /** Cancels the job everywhere; runs in this process stop before this returns. */
  cancel(jobId: string): Promise<JobView>;
  /**
   * `reqase worker`: serves every active job until `signal` aborts. On PostgreSQL through pg-boss
   * (any number of machines), on SQLite from the job tables.
   */
  work(options: WorkOptions): Promise<WorkResult>;
  /** Stops every run in this process and closes the job bus (the workspace calls it when it closes). */
  stopAll(): Promise<void>;
}
