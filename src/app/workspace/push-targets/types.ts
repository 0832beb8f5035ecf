import type { PushedCaseRecord, StoryRecord, TestCaseRecord } from '../../../core/index.ts';

export type PushAction = 'create' | 'update' | 'unchanged';

/** One case of a push, with what the last push recorded for it. */
export interface PushItem {
  testCase: TestCaseRecord;
  story: StoryRecord;
  pushed: PushedCaseRecord | undefined;
  action: PushAction;
}

/** How an adapter reports progress; every call is written to storage before it returns. */
export interface PushRecorder {
  /** Before sending creates: the rows that make a resumed push look before creating again. */
  markCreating(items: readonly PushItem[]): Promise<void>;
  /** Xray: the bulk job and element number each marked create went out as (`jobId#3`). */
  setBatch(entries: ReadonlyArray<{ item: PushItem; batchId: string }>): Promise<void>;
  pushed(item: PushItem, externalId: string, externalKey: string | null): Promise<void>;
  failed(item: PushItem, error: string): Promise<void>;
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
