/**
 * The workspace: stored projects, stories, test cases and providers, with review, story changes,
 * generation for stored stories and export. Called by the CLI and the HTTP API; never prints.
 */
export { openWorkspace, type Workspace, type WorkspaceOptions } from './workspace.ts';
export { workspaceSessions, workspaceTokens, type SessionService, type TokenService } from './tokens.ts';
export type {
  CreateProjectInput,
  ProjectChangesInput,
  ProjectDetails,
  ProjectService,
  ProjectView,
} from './projects.ts';
export type {
  CriterionChangeView,
  GenerationSummary,
  ImportStoriesInput,
  ImportStoriesResult,
  ImportedStory,
  StoryChanges,
  StoryDetails,
  StoryListResult,
  StoryService,
} from './stories.ts';
export {
  EXISTING_CASES_OTHER_STORIES,
  EXISTING_CASES_SAME_STORY,
  JobGenerationOptionsSchema,
  type GenerationService,
  type JobGenerationOptions,
  type StoredGenerationOptions,
  type StoredGenerationResult,
} from './generation.ts';
export { TestCasePatchSchema, parsePatch, type TestCasePatch } from './test-case-patch.ts';
export {
  ActorSchema,
  UNKNOWN_ACTOR,
  VersionActionSchema,
  type CaseHistory,
  type CaseHistoryEntry,
  type GenerationAudit,
  type RestoreOptions,
  type VersionAction,
  type CaseListFilter,
  type CaseReferenceOptions,
  type CaseSelection,
  type EditOptions,
  type RegenerateOptions,
  type RegeneratedCase,
  type ReviewResult,
  type ReviewService,
  type ScoredTestCaseView,
  type TestCaseView,
} from './review.ts';
export { TestCaseQualitySchema, type TestCaseQuality } from './case-quality.ts';
export {
  EXPORT_STORIES_PER_PAGE,
  STREAMED_EXPORT_TARGETS,
  type ExportCasesRequest,
  type ExportCasesResult,
  type ExportService,
  type ExportSink,
  type ExportSummary,
} from './export.ts';
export type { AddProviderInput, AddedProvider, ProviderService, ResolvedProvider } from './providers.ts';
export {
  DEFAULT_JOB_CONCURRENCY,
  type JobDetails,
  type JobRunOptions,
  type JobRunResult,
  type JobService,
  type JobTaskView,
  type JobView,
  type StartJobInput,
  type StartedJob,
  type WorkOptions,
  type WorkResult,
} from './jobs.ts';
export {
  AddConnectionSchema,
  ConnectionKindSchema,
  ConnectionSettingsSchema,
  CONNECTION_ENVIRONMENT,
  type AddConnectionInput,
  type ConnectionService,
  type ConnectionSettings,
} from './connections.ts';
export type { JiraImportInput, JiraImportResult } from './jira-import.ts';
export {
  PushRequestSchema,
  PushTargetSchema,
  type PushCaseOutcome,
  type PushCaseResult,
  type PushRequest,
  type PushResult,
  type PushService,
  type PushState,
  type PushStatusResult,
  type PushTarget,
} from './push.ts';
