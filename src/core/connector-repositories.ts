/**
 * Storage ports for the connectors: stored connections (secrets encrypted), the Jira issue a
 * story came from, what was pushed where, and push jobs. `src/storage/` implements them.
 */

/** The tools a connection can point at. */
export type ConnectionKind = 'jira' | 'xray-cloud' | 'xray-server' | 'testrail' | 'zephyr-scale';

export interface ConnectionRecord {
  id: string;
  /** Unique across the workspace. */
  name: string;
  kind: ConnectionKind;
  baseUrl: string;
  /** Non-secret settings: the user or client id, the Jira deployment, the TestRail project id… */
  settings: Record<string, string>;
  /** True when a secret (token, API key, client secret) is stored. */
  hasSecret: boolean;
  /** The secret as `…a1b2`, never the secret itself. */
  secretMasked: string;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionWithSecret extends ConnectionRecord {
  secret: string | null;
}

export interface ConnectionInput {
  name: string;
  kind: ConnectionKind;
  baseUrl: string;
  settings?: Record<string, string>;
  /** Stored encrypted; `undefined` keeps the stored one on update. */
  secret?: string | null;
}

export interface ConnectionRepository {
  /** Creates the connection or replaces the one with the same name (keeping its id). */
  save(connection: ConnectionInput): Promise<ConnectionRecord>;
  get(name: string): Promise<ConnectionRecord | undefined>;
  /** Throws a `SecretKeyChangedError` when the secret was encrypted under another key. */
  getWithSecret(name: string): Promise<ConnectionWithSecret | undefined>;
  list(): Promise<ConnectionRecord[]>;
  remove(name: string): Promise<boolean>;
}

/** The Jira issue a story was imported from (Zephyr links need its numeric id). */
export interface StoryIssueRecord {
  storyId: string;
  issueId: string;
  issueKey: string;
  siteUrl: string;
}

export interface StoryIssueRepository {
  saveMany(records: readonly StoryIssueRecord[]): Promise<void>;
  get(storyId: string): Promise<StoryIssueRecord | undefined>;
}

/**
 * `creating`: a create was (or is about to be) sent and its answer not recorded yet — on resume,
 * look it up by its marker before creating it again. `pushed`: the external id is known.
 */
export type PushedCaseState = 'creating' | 'pushed';

export interface PushedCaseRecord {
  testCaseId: string;
  /** Where it was pushed: kind, URL and project, e.g. `testrail http://… project 1`. */
  target: string;
  state: PushedCaseState;
  externalId: string | null;
  externalKey: string | null;
  /** The case version that was pushed; a higher current version means out of date. */
  pushedVersion: number;
  /** Xray: the bulk import job the create went out in (resume polls it instead of importing again). */
  batchId: string | null;
  pushedAt: string;
}

export interface PushedCaseRepository {
  listByTarget(target: string, testCaseIds: readonly string[]): Promise<PushedCaseRecord[]>;
  /** Marks the cases as being created (state `creating`), keeping rows already there. */
  markCreating(
    target: string,
    items: ReadonlyArray<{ testCaseId: string; version: number }>,
    batchId?: string | null,
  ): Promise<void>;
  /** Sets the batch (`jobId#elementNumber`) of rows in `creating` state, in one transaction. */
  setBatch(target: string, entries: ReadonlyArray<{ testCaseId: string; batchId: string }>): Promise<void>;
  /** Records a create or update: state `pushed` with the external id and the version pushed. */
  recordPushed(
    target: string,
    item: { testCaseId: string; externalId: string; externalKey: string | null; version: number },
  ): Promise<void>;
  /** `recordPushed` for many cases at once (one statement per 500). */
  recordPushedMany(
    target: string,
    items: ReadonlyArray<{
      testCaseId: string;
      externalId: string;
      externalKey: string | null;
      version: number;
    }>,
  ): Promise<void>;
  /** Forgets a `creating` row whose create certainly failed. */
  clearCreating(target: string, testCaseId: string): Promise<void>;
}

export type PushJobStatus = 'running' | 'completed' | 'failed';

export interface PushJobCounts {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface PushJobRecord {
  id: string;
  projectId: string;
  target: string;
  status: PushJobStatus;
  /** The push request as the app defines it (kind, connection, filters), so it can be resumed. */
  options: Record<string, unknown>;
  counts: PushJobCounts;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface PushJobRepository {
  create(job: {
    projectId: string;
    target: string;
    options: Record<string, unknown>;
  }): Promise<PushJobRecord>;
  get(id: string): Promise<PushJobRecord | undefined>;
  list(projectId: string): Promise<PushJobRecord[]>;
  finish(id: string, status: PushJobStatus, counts: PushJobCounts, error?: string | null): Promise<void>;
  /** Back to `running` for a resume. */
  reopen(id: string): Promise<void>;
}
