/**
 * The front door of the application layer: the one module the CLI and the HTTP server import
 * (ESLint enforces it). Use cases come from the app's own modules; the few types and values of
 * lower layers that a surface needs to word or validate what it shows (domain schemas, job events,
 * provider presets, check ids, export targets) are re-exported here on purpose, so cli/ and
 * server/ never reach around app/. Add to this list deliberately: every name is public surface.
 */

// The workspace (stored projects, stories, cases, jobs): its types, and values from light modules
// only. Storage, jobs and pg-boss load when a workspace opens, so quick commands such as
// `generate story.md` or `check` never load them.
export type * from './workspace/index.ts';
export { loadWorkspace } from './load-workspace.ts';
export { workspaceSessions, workspaceTokens } from './workspace/tokens.ts';
export { TestCasePatchSchema, parsePatch } from './workspace/test-case-patch.ts';
export { GenerationModelSchema } from './workspace/generation.ts';
export { TestCaseQualitySchema } from './workspace/case-quality.ts';
export { ActorSchema, UNKNOWN_ACTOR, VersionActionSchema } from './workspace/actor.ts';
export {
  AddConnectionSchema,
  ConnectionKindSchema,
  ConnectionSettingsSchema,
} from './workspace/connections.ts';
export { PushRequestSchema, PushTargetSchema } from './workspace/push-request.ts';
export { resolveSettings, type AppSettings } from './settings.ts';
export {
  checkEndpoint,
  createEndpointChecker,
  parseCheckTestCases,
  rememberCheckedResponseMode,
  type EndpointCheckOutcome,
  type EndpointCheckRequest,
  type EndpointToCheck,
} from './check-endpoint.ts';
export { generateFromFile, parseCount } from './generate-from-file.ts';
export { visibleGeneration, type GenerationDependencies, type GenerationOutput } from './generation.ts';
export {
  ComparisonSchema,
  TokenPriceSchema,
  compareEngines,
  enginesToCompare,
  providerLookup,
  storedTokenPrice,
  type Comparison,
} from './compare.ts';
export {
  QualityReportSchema,
  readCasesToScore,
  scoreCasesFile,
  scoreStoredProject,
  scoreStories,
  type QualityReport,
  type ScoredStory,
} from './quality-score.ts';
export {
  createDashboardService,
  ProjectDashboardSchema,
  storedPriceOf,
  type DashboardService,
  type PriceOf,
  type ProjectDashboard,
} from './dashboard/index.ts';
export { MAX_PATCH_FILE_BYTES, readInput } from './read-input.ts';
export { readStoriesFrom } from './story-files.ts';
export { ensureWebAppBuilt, findPackageRoot } from './web-app-build.ts';

// Domain shapes the surfaces validate and render (core owns them; zod is the single source).
export {
  AcceptanceCriterionSchema,
  CaseQualitySchema,
  CaseRepairSchema,
  EngineSchema,
  QualityFindingSchema,
  QualityRuleIdSchema,
  StoryQualitySchema,
  StorySchema,
  TestCaseRecordSchema,
  TestCaseSchema,
  TestCaseStatusSchema,
  TestFormatSchema,
  TestKindSchema,
  TestStepSchema,
  TEST_CASE_SORT_COLUMNS,
  UsageSchema,
  type CaseRepair,
  type ConnectionRecord,
  type GenerationEvent,
  type ProviderRecord,
  type QualityFinding,
  type Story,
  type StoryQuality,
  type TestCase,
  type TestCaseRecord,
  type TestCaseStatus,
  type TestFormat,
} from '../core/index.ts';

// Story text in, export targets out.
export { ExportTargetSchema, parseStoryText, type CsvColumnMapping } from '../formats/index.ts';

// The model endpoint: presets a user picks from, the checker's ids and its printed report. Taken
// from their own files, not llm/index.ts: that one loads the `openai` package (500 modules), which
// only a generation or a check needs, and they load it themselves.
export { PROVIDER_PRESETS } from '../llm/presets.ts';
export { foldRenamedProviderKeys, RENAMED_PROVIDER_KEYS } from '../llm/provider-config/renamed-keys.ts';
export { CHECK_IDS, type CheckReport, type ParseTestCases } from '../llm/check/types.ts';
export { renderCheckReport } from '../llm/check/report.ts';

// Progress of bulk generation jobs, streamed by the API and printed by the CLI.
export type { JobEvent } from '../jobs/index.ts';
// For `reqase serve --processes`: the primary relays the job bus of its server processes.
export { relayJobBus, SERVE_PROCESS_VARIABLE } from '../jobs/process-job-bus.ts';
