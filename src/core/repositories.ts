import { z } from 'zod';
import { TestCaseSchema, TestCaseStatusSchema } from './model.ts';
import type { Engine, Story, TestCase, TestCaseStatus, TestFormat, TestKind, Usage } from './model.ts';
import type { QualityRuleId } from './quality/index.ts';
import type { ReviewAction, ReviewEventRecord } from './review-events.ts';
import type { StoredCaseQuality } from './stored-case-quality.ts';

/**
 * The storage ports core and app depend on. `src/storage/` implements them over Kysely
 * (SQLite or PostgreSQL); nothing here knows about SQL or drivers.
 *
 * Conventions for every record:
 * - `id` is a random UUID given by storage;
 * - timestamps are ISO 8601 strings in UTC (`2026-01-31T12:00:00.000Z`);
 * - a missing optional value is `null` on records (never `undefined`), so records survive JSON.
 */

// ---------------------------------------------------------------------------------------------
// Projects

export interface ProjectRecord {
  id: string;
  /** Unique across the workspace. */
  name: string;
  defaultFormat: TestFormat;
  /** The project's own rules for test cases (free text given to generations). */
  testCaseRules: string;
  defaultProviderId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewProject {
  name: string;
  /** Default: `manual`. */
  defaultFormat?: TestFormat;
  /** Default: empty. */
  testCaseRules?: string;
  defaultProviderId?: string | null;
}

export type ProjectChanges = Partial<
  Pick<ProjectRecord, 'name' | 'defaultFormat' | 'testCaseRules' | 'defaultProviderId'>
>;

export interface ProjectRepository {
  /** Throws a `ConflictError` when the name is taken. */
  create(project: NewProject): Promise<ProjectRecord>;
  get(id: string): Promise<ProjectRecord | undefined>;
  findByName(name: string): Promise<ProjectRecord | undefined>;
  /** Ordered by name. */
  list(): Promise<ProjectRecord[]>;
  /** Throws a `NotFoundError` when there is no such project, a `ConflictError` on a taken name. */
  update(id: string, changes: ProjectChanges): Promise<ProjectRecord>;
  /** Removes the project with its stories, test cases, generations and jobs. False when absent. */
  remove(id: string): Promise<boolean>;
  /** How many test cases the project holds, by status, and how many are marked for review. */
  caseCounts(id: string): Promise<ProjectCaseCounts>;
  /** Its id and revision, which the database raises on every change its pages show. One indexed read. */
  revisionByName(name: string): Promise<ProjectRevision | undefined>;
}

export type ProjectRevision = { id: string; revision: number };

export interface ProjectCaseCounts {
  total: number;
  draft: number;
  accepted: number;
  rejected: number;
  needsReview: number;
}

// ---------------------------------------------------------------------------------------------
// Stories

export interface StoryRecord extends Story {
  id: string;
  projectId: string;
  /** Hash of the story's content as computed by the caller; used to detect changed stories. */
  contentHash: string;
  createdAt: string;
  updatedAt: string;
}

/** A story to store: the domain story plus the caller's content hash. */
export interface StoryInput extends Story {
  contentHash: string;
}

export interface StoryRepository {
  /**
   * Inserts the story, or replaces the stored story with the same `(projectId, key)`, keeping
   * its id and `createdAt`. Comparing old and new (which criteria changed) is the caller's job:
   * read the old one with `findByKey` first.
   */
  save(projectId: string, story: StoryInput): Promise<StoryRecord>;
  /**
   * Inserts the stories whose key the project does not hold yet and returns those it inserted;
   * a key stored meanwhile (by a concurrent import) is left alone and not returned.
   */
  insertNew(projectId: string, stories: StoryInput[]): Promise<StoryRecord[]>;
  findByKey(projectId: string, key: string): Promise<StoryRecord | undefined>;
  /**
   * The stored stories among `keys`. With `lock` (inside `Storage.transaction`), PostgreSQL locks
   * them in key order until the transaction ends, so a concurrent import of the same keys waits.
   */
  findByKeys(projectId: string, keys: string[], options?: { lock?: boolean }): Promise<StoryRecord[]>;
  get(id: string): Promise<StoryRecord | undefined>;
  /** The keys of the stored stories among `ids`, by id (one query; a page of cases needs only these). */
  keysOf(ids: readonly string[]): Promise<Map<string, string>>;
  /** Ordered by key. */
  list(projectId: string, page?: Page): Promise<StoryRecord[]>;
  count(projectId: string): Promise<number>;
  /**
   * What the coverage of each of the stories needs: their draft and accepted cases grouped by
   * covered criteria, status and review mark, with the number of cases in each group. Grouped by
   * the database: a page of stories has thousands of cases but a few hundred such groups.
   */
  coverageGroups(storyIds: readonly string[]): Promise<StoryCoverageGroup[]>;
  /** Removes the story with its test cases. False when absent. */
  remove(id: string): Promise<boolean>;
}

export interface Page {
  /** Default: no limit. */
  limit?: number;
  /** Default: 0. */
  offset?: number;
}

// ---------------------------------------------------------------------------------------------
// Test cases

export type { TestCaseStatus } from './model.ts';

/** The editable content of a test case: the domain test case without its display id. */
export type TestCaseContent = Omit<TestCase, 'id'>;

/**
 * A stored test case: its content with the review fields. The one definition of the shape: the
 * HTTP API's `StoredTestCase` and the web app's type are derived from this schema.
 */
export const TestCaseRecordSchema = TestCaseSchema.extend({
  id: z.string(),
  projectId: z.string(),
  storyId: z.string(),
  generationId: z.string().nullable(),
  /** 1, 2, 3, … unique within the story. */
  caseNumber: z.number().int(),
  /** `TC-<caseNumber>`, as shown to people and in exports. */
  displayId: z.string(),
  status: TestCaseStatusSchema,
  needsReview: z.boolean(),
  /** Why the case needs review (e.g. "AC-2 changed"); null when it does not. */
  needsReviewReason: z.string().nullable(),
  /** 1 when created; +1 on every content edit. */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TestCaseRecord = z.infer<typeof TestCaseRecordSchema>;

export interface NewTestCase extends TestCaseContent {
  projectId: string;
  storyId: string;
  generationId?: string | null;
  /** Default: the story's highest case number + 1. */
  caseNumber?: number;
  /** Default: `draft`. */
  status?: TestCaseStatus;
  /** Who made it (see `TestCaseAuthorship.actor`). Default: null, unknown. */
  actor?: string | null;
}

/** A test case saved together with its generation: project, story and generation come from it. */
export type GeneratedTestCase = Omit<NewTestCase, 'projectId' | 'storyId' | 'generationId'>;

/**
 * Where a keyset page starts: just after the case with this sort key (the list's order is story
 * key, case number, id). Unlike an offset, the database seeks to it through the indexes instead of
 * reading and skipping every case before it.
 */
export interface TestCaseListPosition {
  storyKey: string;
  caseNumber: number;
  id: string;
  /** The sort column's value of that case, when the list is sorted by another column than the key. */
  value?: string;
}

/** The columns a case list sorts by; `key` is story key, then case number (the default). */
export const TEST_CASE_SORT_COLUMNS = [
  'key',
  'title',
  'kind',
  'priority',
  'status',
  'engine',
  'updatedAt',
] as const;
export type TestCaseSortColumn = (typeof TEST_CASE_SORT_COLUMNS)[number];

/** A list's order: a column, then the case id to break ties (keyset paging needs a total order). */
export interface TestCaseSort {
  by: TestCaseSortColumn;
  order: 'asc' | 'desc';
}

/** By stored quality score, ties in key order ascending; a keyset position's `value` is the score. */
export type TestCaseQualitySort = { by: 'quality'; order: TestCaseSort['order'] };

export interface TestCaseFilter extends Page {
  /** Only cases after this one in the list's order (keyset paging; use instead of `offset`). */
  after?: TestCaseListPosition;
  projectId?: string;
  storyId?: string;
  /** Cases of any of these stories (e.g. the stories on one page of a list). */
  storyIds?: readonly string[];
  status?: TestCaseStatus | TestCaseStatus[];
  needsReview?: boolean;
  kinds?: readonly TestKind[];
  priorities?: readonly string[];
  engines?: readonly Engine[];
  /** Words the title, the steps or the Gherkin contain (case-insensitive, in that order of text). */
  search?: string;
  /** Only cases whose stored quality has a finding of this rule. */
  findingRule?: QualityRuleId;
  /** true: only cases whose stored quality has findings; false: only those without. */
  hasFindings?: boolean;
  /** Default: by key, ascending. */
  sort?: TestCaseSort | TestCaseQualitySort;
}

export interface TestCaseVersion {
  testCaseId: string;
  /** The version this content had before the edit. */
  version: number;
  content: TestCaseContent;
  editedAt: string;
  note: string | null;
  /** Who made this version; null when unknown (stored before actors were recorded). */
  actor: string | null;
  /** The case's review status when this version was replaced; null when unknown. */
  status: TestCaseStatus | null;
}

/**
 * Who changed a case: an API token's name, "local" (the web app or API on a loopback server without
 * a token), or the OS user name from the CLI. Null when unknown (changes from before it was recorded).
 */
export interface TestCaseAuthorship {
  /** Who made the current version. */
  actor: string | null;
  /** Who last accepted or rejected the case, and when (null: nobody since actors are recorded). */
  statusActor: string | null;
  statusChangedAt: string | null;
}

export interface UpdateContentOptions {
  /** Kept with the previous version, e.g. "edited by reviewer" or "regenerated". */
  note?: string;
  /** When given and the stored version differs, throws a `ConflictError` (lost-update guard). */
  expectedVersion?: number;
  /** Who makes the new version. Default: null, unknown. */
  actor?: string | null;
  /** What the review log records for the change. Default `edited`. */
  reviewAction?: Extract<ReviewAction, 'edited' | 'restored' | 'regenerated'>;
}

/** Cases of one story alike in what coverage reads, and how many of them there are. */
export interface StoryCoverageGroup extends TestCaseCoverageRow {
  count: number;
}

export interface TestCaseCoverageRow {
  storyId: string;
  covers: string[];
  status: TestCaseStatus;
  needsReview: boolean;
}

export interface TestCaseRepository {
  /** All or nothing: one failing row (e.g. a duplicate case number) leaves none stored. */
  insertMany(testCases: NewTestCase[]): Promise<TestCaseRecord[]>;
  get(id: string): Promise<TestCaseRecord | undefined>;
  /** Ordered by story key, then case number. */
  list(filter?: TestCaseFilter): Promise<TestCaseRecord[]>;
  count(filter?: Omit<TestCaseFilter, 'limit' | 'offset' | 'after'>): Promise<number>;
  /** Only what coverage needs (story, covered criteria, status, review mark), without the content. */
  listCoverage(filter: Omit<TestCaseFilter, 'limit' | 'offset' | 'after'>): Promise<TestCaseCoverageRow[]>;
  /**
   * Replaces the content, storing the previous content as a version; one transaction.
   * Throws a `NotFoundError` for an unknown id.
   */
  updateContent(
    id: string,
    content: TestCaseContent,
    options?: UpdateContentOptions,
  ): Promise<TestCaseRecord>;
  /**
   * Sets the status of one or many cases; returns how many changed. Accepting or rejecting
   * is a review, so it also clears `needsReview`; going back to `draft` keeps it.
   */
  setStatus(ids: string | string[], status: TestCaseStatus, actor?: string | null): Promise<number>;
  /** Who made the current version and who last reviewed it; undefined when the case is absent. */
  authorship(id: string): Promise<TestCaseAuthorship | undefined>;
  /**
   * Marks the story's cases covering any of `criterionIds` as needing review; returns their ids.
   */
  markNeedsReview(storyId: string, criterionIds: string[], reason: string): Promise<string[]>;
  /** Previous versions, oldest first (the current content is the record itself). */
  history(id: string): Promise<TestCaseVersion[]>;
  /** The case's review log, oldest first. */
  reviewEvents(id: string): Promise<ReviewEventRecord[]>;
  /**
   * The stored quality of each of `ids` (score and findings), kept up to date by every write to a
   * case or its story; cases without a stored score are left out (see `refreshQuality`).
   */
  storedQuality(ids: readonly string[]): Promise<Map<string, StoredCaseQuality>>;
  /**
   * Scores again the stories (of the project, or those named; all when neither) whose cases have
   * no stored score or one from another scorer (`CASE_SCORER_FINGERPRINT`); returns how many.
   */
  refreshQuality(scope: { projectId?: string; storyIds?: readonly string[] }): Promise<number>;
  /** False when absent. */
  remove(id: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Generations

export interface GenerationRecord {
  id: string;
  projectId: string;
  storyId: string;
  engine: Engine;
  providerName: string | null;
  model: string | null;
  /** How structure was asked for: `json_schema`, `json_object`, `text`, or null (rules engine). */
  responseMode: string | null;
  /** The messages sent (or any JSON describing the request), kept for audit. */
  prompt: unknown;
  rawAnswer: string | null;
  usage: Usage | null;
  latencyMilliseconds: number | null;
  warnings: string[];
  /** Unique when set: a second save with the same key returns the first one instead. */
  idempotencyKey: string | null;
  createdAt: string;
}

export interface NewGeneration {
  projectId: string;
  storyId: string;
  engine: Engine;
  providerName?: string | null;
  model?: string | null;
  responseMode?: string | null;
  prompt?: unknown;
  rawAnswer?: string | null;
  usage?: Usage | null;
  latencyMilliseconds?: number | null;
  warnings?: string[];
  /** E.g. a job task id; see `GenerationRecord.idempotencyKey`. */
  idempotencyKey?: string | null;
  /** Who asked for it: recorded as the actor of its test cases (not stored on the generation). */
  actor?: string | null;
}

export interface SavedGeneration {
  generation: GenerationRecord;
  testCases: TestCaseRecord[];
  /** True when the idempotency key was already used: nothing new was stored. */
  alreadySaved: boolean;
}

export interface GenerationRepository {
  /**
   * Stores the generation and its test cases in one transaction (all or nothing). With an
   * idempotency key already used, stores nothing and returns what the first call stored.
   */
  saveGenerationWithTestCases(
    generation: NewGeneration,
    testCases: GeneratedTestCase[],
  ): Promise<SavedGeneration>;
  get(id: string): Promise<GenerationRecord | undefined>;
  /** Newest first. */
  listByStory(storyId: string): Promise<GenerationRecord[]>;
}

// ---------------------------------------------------------------------------------------------
// Providers: in provider-repositories.ts

export * from './provider-repositories.ts';

// ---------------------------------------------------------------------------------------------
// API tokens

export interface ApiTokenRecord {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ApiTokenRepository {
  /** Creates a token; the clear token is returned once, only its SHA-256 hash is stored. */
  create(name: string): Promise<{ record: ApiTokenRecord; token: string }>;
  /** The token's record (and `lastUsedAt` updated) when the token is known, else undefined. */
  verify(token: string): Promise<ApiTokenRecord | undefined>;
  list(): Promise<ApiTokenRecord[]>;
  /** False when absent. */
  remove(id: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Browser sessions

export interface SessionRecord {
  tokenId: string;
  tokenName: string;
  expiresAt: string;
}

export interface SessionRepository {
  /**
   * Opens a session for a token until `expiresAt` (ISO 8601); the clear session id is returned
   * once, only its SHA-256 hash is stored. Expired sessions are removed on the way.
   */
  create(tokenId: string, expiresAt: string): Promise<{ sessionId: string; record: SessionRecord }>;
  /** The session when it exists, has not expired and its token has not been revoked. */
  find(sessionId: string): Promise<SessionRecord | undefined>;
  /** Ends one session (sign-out). */
  remove(sessionId: string): Promise<void>;
  /** Ends every session opened with a token. */
  removeForToken(tokenId: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Bulk generation jobs

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'budget-exhausted';
export type JobTaskStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobBudget {
  maxTestCases?: number;
  maxTokens?: number;
}

export interface JobProgress {
  total: number;
  pending: number;
  running: number;
  done: number;
  failed: number;
  /** Test cases stored by done tasks. */
  testCases: number;
  /** Tokens used by done tasks. */
  tokens: number;
}

export interface JobRecord {
  id: string;
  projectId: string;
  status: JobStatus;
  /** Generation options as the jobs layer defines them (format, provider, …). */
  options: Record<string, unknown>;
  budget: JobBudget | null;
  /** Why the job failed or stopped, if it did. */
  error: string | null;
  progress: JobProgress;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface JobTaskRecord {
  id: string;
  jobId: string;
  storyId: string;
  status: JobTaskStatus;
  /** Claims so far (a claim after an expired lease counts as a new attempt). */
  attempts: number;
  lastError: string | null;
  lockedBy: string | null;
  lockedUntil: string | null;
  /** A pending task is not claimed before this time (retry backoff); null means now. */
  availableAt: string | null;
  generationId: string | null;
  testCaseCount: number;
  tokensUsed: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewJob {
  projectId: string;
  /** One task per story; duplicates are ignored. */
  storyIds: string[];
  options?: Record<string, unknown>;
  budget?: JobBudget | null;
}

export interface TaskCompletion {
  generation: Omit<NewGeneration, 'idempotencyKey' | 'projectId' | 'storyId'>;
  testCases: GeneratedTestCase[];
}

export interface CompletedTask {
  task: JobTaskRecord;
  saved: SavedGeneration;
  /** True when the task was already done: nothing new was stored (a retried completion). */
  alreadyDone: boolean;
}

export interface FailTaskOptions {
  /** Put the task back to `pending` when attempts remain. Default: true. */
  retryable?: boolean;
  /** Default: 3. */
  maxAttempts?: number;
  /** Earliest time of the next claim, e.g. now + backoff. Default: now. */
  retryAt?: Date;
}

export interface JobRepository {
  /**
   * Creates the job (status `queued`) with one pending task per story, in one transaction.
   * Refuses (a conflict naming the other job) when an active job of the project still has one
   * of the stories to do; of concurrent creators, only one can take a story.
   */
  create(job: NewJob): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Newest first. */
  list(filter?: { projectId?: string; status?: JobStatus | JobStatus[] }): Promise<JobRecord[]>;
  /** Sets the status (and `finishedAt` for final statuses). */
  setStatus(id: string, status: JobStatus, error?: string | null): Promise<void>;
  /**
   * Makes a cancelled job `running` again; refuses (a conflict naming the other job) when another
   * active job of the project has one of its unfinished stories to do meanwhile.
   */
  reopen(id: string): Promise<void>;
  listTasks(jobId: string): Promise<JobTaskRecord[]>;
  getTask(taskId: string): Promise<JobTaskRecord | undefined>;
  progress(jobId: string): Promise<JobProgress>;
  /**
   * Atomically leases the next claimable task of a `queued` or `running` job to `workerId` for
   * `leaseMilliseconds`: a pending task whose `availableAt` has come, or a running task whose
   * lease expired. Safe with any number of workers and connections: a task is never handed to
   * two workers at once. Undefined when nothing is claimable.
   */
  claimNextTask(
    jobId: string,
    workerId: string,
    leaseMilliseconds: number,
  ): Promise<JobTaskRecord | undefined>;
  /** Extends the lease; false when the worker no longer holds it. */
  renewLease(taskId: string, workerId: string, leaseMilliseconds: number): Promise<boolean>;
  /**
   * Stores the generation with its test cases and marks the task done, in one transaction.
   * Idempotent: completing a done task again stores nothing and returns the first result, so a
   * worker retried after a crash (or a pg-boss redelivery) never duplicates test cases.
   */
  completeTask(taskId: string, completion: TaskCompletion): Promise<CompletedTask>;
  /**
   * Records the error; the task goes back to `pending` (claimable from `retryAt`) while it is
   * retryable and has attempts left, else to `failed`. A done task is left as it is.
   */
  failTask(taskId: string, error: string, options?: FailTaskOptions): Promise<JobTaskRecord>;
  /** Puts running tasks whose lease expired back to `pending`; returns how many. */
  recoverExpiredLeases(jobId?: string): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Project statistics (the dashboard's aggregates; days are UTC dates, `2026-01-31`)

/** What happened to a project's test cases on one day. */
export interface ReviewActivityDay {
  day: string;
  /** Cases created that day (every case starts as a draft). */
  created: number;
  /** Cases accepted that day (the review log; a case accepted twice that day counts once). */
  accepted: number;
  /** Cases rejected that day (the review log; a case rejected twice that day counts once). */
  rejected: number;
  /** Content edits that day: edits, restores and regenerations in the review log. */
  edited: number;
}

/** The tokens of one provider's generations on one day. */
export interface GenerationUsageDay {
  day: string;
  /** Null for generations without a provider (the offline rules engine). */
  providerName: string | null;
  generations: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/**
 * Enough to tell whether a story's draft and accepted cases changed since last read, without
 * reading them: an edit raises a version, and every write (edit, status, new case) sets `updatedAt`.
 */
export interface StoryCasesFingerprint {
  storyId: string;
  caseCount: number;
  versionSum: number;
  lastChange: string;
}

export interface ProjectStatisticsRepository {
  /** Ordered by day; days without activity are left out. */
  reviewActivity(projectId: string): Promise<ReviewActivityDay[]>;
  /** Ordered by day, then provider name (no provider last). */
  generationUsage(projectId: string): Promise<GenerationUsageDay[]>;
  /** One per story with draft or accepted cases. */
  caseFingerprints(projectId: string): Promise<StoryCasesFingerprint[]>;
}
