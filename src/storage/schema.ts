import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Identical on SQLite and PostgreSQL: text, integer and real
 * columns only; JSON is stored as text, booleans as 0/1 integers and timestamps as ISO 8601
 * text in UTC (which sorts and compares correctly as text).
 */
export interface DatabaseSchema {
  providers: ProviderTable;
  projects: ProjectTable;
  stories: StoryTable;
  generations: GenerationTable;
  test_cases: TestCaseTable;
  test_case_versions: TestCaseVersionTable;
  test_case_findings: TestCaseFindingTable;
  review_events: ReviewEventTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  jobs: JobTable;
  job_tasks: JobTaskTable;
  connections: ConnectionTable;
  story_issues: StoryIssueTable;
  pushed_cases: PushedCaseTable;
  push_jobs: PushJobTable;
}

export interface ProviderTable {
  id: string;
  name: string;
  base_url: string;
  model: string;
  temperature: number | null;
  max_tokens: number | null;
  timeout_milliseconds: number | null;
  /** The header names with masked values (the clear values only in `extra_headers_encrypted`). */
  extra_headers: string;
  /** The headers as encrypted JSON; null when none, or when saved before encryption (then clear in `extra_headers`). */
  extra_headers_encrypted: string | null;
  /** `authorization` (Bearer), `api-key` or `x-api-key`; null: decided by the base URL. */
  api_key_header: string | null;
  limits: string;
  api_key_encrypted: string | null;
  api_key_masked: string;
  structured_output_mode: string | null;
  /** `compatible` or `not-compatible`; null until a check ran on the stored provider. */
  last_check_verdict: string | null;
  /** One line: what the last check found (its root cause when it failed). */
  last_check_summary: string | null;
  last_checked_at: string | null;
  /** US dollars per million prompt tokens; null: not priced. */
  input_price_per_million_tokens: number | null;
  /** US dollars per million completion tokens; null: not priced. */
  output_price_per_million_tokens: number | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectTable {
  id: string;
  name: string;
  default_format: string;
  test_case_rules: string;
  default_provider_id: string | null;
  created_at: string;
  updated_at: string;
  /**
   * Raised by database triggers whenever anything the project's pages show changes (migration
   * 0010); on SQLite, new test cases raise it from `insertTestCases` instead (migration 0013).
   */
  revision: Generated<number>;
}

export interface StoryTable {
  id: string;
  project_id: string;
  key: string;
  summary: string;
  description: string;
  acceptance_criteria: string;
  out_of_scope: string;
  notes: string;
  source: string;
  content_hash: string;
  created_at: string;
  updated_at: string;
}

export interface GenerationTable {
  id: string;
  project_id: string;
  story_id: string;
  engine: string;
  provider_name: string | null;
  model: string | null;
  response_mode: string | null;
  prompt: string;
  raw_answer: string | null;
  usage: string | null;
  latency_milliseconds: number | null;
  warnings: string;
  idempotency_key: string | null;
  created_at: string;
}

export interface TestCaseTable {
  id: string;
  project_id: string;
  story_id: string;
  generation_id: string | null;
  case_number: number;
  title: string;
  kind: string;
  priority: string;
  preconditions: string;
  steps: string;
  gherkin: string | null;
  covers: string;
  engine: string;
  warnings: string;
  status: string;
  needs_review: number;
  needs_review_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** Who made the current version (an API token's name, "local", an OS user); null: unknown. */
  actor: string | null;
  /** Who last accepted or rejected the case, and when; null: nobody yet, or unknown. */
  status_actor: string | null;
  status_changed_at: string | null;
  /** The stored quality score (0–100); null: not scored yet. */
  quality_score: number | null;
  /** The findings about the case as JSON (`QualityFinding[]`); null: not scored yet. */
  quality_findings: string | null;
  quality_finding_count: number | null;
  /** `CASE_SCORER_FINGERPRINT` of the scorer that computed them; another value: stale. */
  quality_scorer: string | null;
}

/** One row per case and rule it has findings of: the review list's filter by rule reads it. */
export interface TestCaseFindingTable {
  test_case_id: string;
  project_id: string;
  rule: string;
}

/** The review log: one row per accept, reject, reset to draft, edit, restore or regeneration. */
export interface ReviewEventTable {
  id: string;
  project_id: string;
  /** No foreign key: the log outlives a removed case (its project's removal takes it along). */
  test_case_id: string;
  action: string;
  actor: string | null;
  created_at: string;
}

export interface TestCaseVersionTable {
  id: string;
  test_case_id: string;
  version: number;
  content: string;
  edited_at: string;
  note: string | null;
  /** Who made this version; null: unknown (stored before actors were recorded). */
  actor: string | null;
  /** The case's review status when this version was replaced; null: unknown. */
  status: string | null;
}

export interface ApiTokenTable {
  id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

/** A browser session: only the SHA-256 of its id is stored; it ends with its token. */
export interface SessionTable {
  id_hash: string;
  token_id: string;
  created_at: string;
  expires_at: string;
}

export interface JobTable {
  id: string;
  project_id: string;
  status: string;
  options: string;
  budget: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface JobTaskTable {
  id: string;
  job_id: string;
  story_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  available_at: string | null;
  generation_id: string | null;
  test_case_count: number;
  tokens_used: number;
  created_at: string;
  updated_at: string;
}

export interface ConnectionTable {
  id: string;
  name: string;
  kind: string;
  base_url: string;
  settings: string;
  secret_encrypted: string | null;
  secret_masked: string;
  created_at: string;
  updated_at: string;
}

export interface StoryIssueTable {
  story_id: string;
  issue_id: string;
  issue_key: string;
  site_url: string;
  updated_at: string;
}

export interface PushedCaseTable {
  test_case_id: string;
  target: string;
  state: string;
  external_id: string | null;
  external_key: string | null;
  pushed_version: number;
  batch_id: string | null;
  pushed_at: string;
}

export interface PushJobTable {
  id: string;
  project_id: string;
  target: string;
  status: string;
  options: string;
  counts: string;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}
