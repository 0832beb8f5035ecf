import type { PushedCaseRecord, StoryRecord, TestCaseRecord } from '../../../core/index.ts';

export type PushAction = 'create' | 'update' | 'unchanged';

/** One case of a push, with what the last push recorded for it. */
export interface PushItem {
  testCase: TestCaseRecord;
  story: StoryRecord;
  /** The numeric id of the Jira issue the story was imported from (Zephyr Scale links need it). */
  storyIssueId: string | undefined;
  pushed: PushedCaseRecord | undefined;
  action: PushAction;
}

/**
 * How an adapter reports progress. A create is marked (`markCreating`) in storage before it is
 * sent; what was pushed is recorded in batches (with the next marks, or every few dozen cases, and
 * when the push ends or throws), so a crash loses at most the last batch of results: those cases
 * are still marked `creating`, and the resumed push looks them up in the tool instead of creating
 * them again.
 */
export interface PushRecorder {
  /**
   * Before sending creates: the rows that make a resumed push look before creating again. Written
   * before it returns, in one transaction with the results recorded since the last write.
   */
  markCreating(items: readonly PushItem[]): Promise<void>;
  /** Xray: the bulk job and element number each marked create went out as (`jobId#3`). */
  setBatch(entries: ReadonlyArray<{ item: PushItem; batchId: string }>): Promise<void>;
  /** Counted at once; written with the next batch (see above). */
  pushed(item: PushItem, externalId: string, externalKey: string | null): Promise<void>;
  failed(item: PushItem, error: string): Promise<void>;
  /** Something the push left out on purpose (a link it could not make), shown with the result. */
  warn(message: string): void;
}

/** One tool's push: `prepare` checks credentials and looks up ids (writes nothing); `push` sends. */
export interface PushAdapter {
  /** Where cases go, as stored with each pushed case: kind, URL and project. */
  readonly target: string;
  prepare(): Promise<void>;
  push(items: readonly PushItem[], recorder: PushRecorder): Promise<void>;
  /** Requests sent (retries included). */
  requestCount(): number;
}
