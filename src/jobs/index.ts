export {
  createJob,
  cancelJob,
  getJobProgress,
  requireJob,
  isFinalJobStatus,
  isBudgetReached,
  summarizeProgress,
  type CreateJobInput,
  type JobQueue,
} from './jobs.ts';
export { releaseDeadLocalLeases, type LeaseReclamationOptions } from './lease-reclamation.ts';
export {
  runJobWorker,
  defaultWorkerId,
  DEFAULT_LEASE_MILLISECONDS,
  type JobWorkerOptions,
  type JobWorkerResult,
} from './job-worker.ts';
export { describeFailure, retryDelay, type BackoffOptions, type FailureDescription } from './retry-policy.ts';
export type {
  GenerateForStory,
  GenerateForStoryContext,
  JobEvent,
  JobEventListener,
  JobProgressSummary,
  JobStorage,
} from './types.ts';
export {
  createPgBossQueue,
  startPgBossWorker,
  GENERATION_QUEUE_NAME,
  type PgBossConnectionOptions,
  type PgBossJobQueue,
  type PgBossWorker,
  type PgBossWorkerOptions,
} from './pg-boss-queue.ts';
export {
  createLocalJobBus,
  createPgJobBus,
  type JobBus,
  type JobBusListener,
  type JobBusMessage,
  type PgJobBusOptions,
} from './job-event-bus.ts';
export {
  createProcessJobBus,
  relayJobBus,
  SERVE_PROCESS_VARIABLE,
  type IpcChannel,
} from './process-job-bus.ts';
