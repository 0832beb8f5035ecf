/**
 * The runs every push target must pass, as one suite parameterised by a small harness per tool:
 * 1,200 cases (a dry run first, sending nothing); a second push with 3 edited cases → 3 updates and
 * 0 creations; a crash at the 500th create of 600 and a resume → every case created exactly once; the
 * same when the push dies at the 100th of 120 without writing anything more; 429 and 5xx mid-push
 * → retried, nothing duplicated; wrong credentials → a named error with a fix and nothing written.
 * Each run is on SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushResult, PushTarget } from '../../src/app/workspace/index.ts';
import { ConnectorError } from '../../src/connectors/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import type { InjectedFault } from '../support/fake-vendor-server.ts';
import { DIALECTS, describeDialect, isAvailable, type TestDialect } from '../storage/storage-setup.ts';
import {
  createConnectorWorkspace,
  seedAcceptedCases,
  type ConnectorTestWorkspace,
} from './connectors-support.ts';

/** What the suite needs to know of one tool and its fake. */
export interface PushTargetHarness<
  Fake extends { close(): Promise<void>; injectFault(fault: InjectedFault): void },
> {
  /** As people name the tool, for the suite's title. */
  name: string;
  target: PushTarget;
  start(): Promise<Fake>;
  /** The workspace's environment for the fake; `wrongSecret` replaces the secret. */
  environment(fake: Fake, wrongSecret?: string): Record<string, string>;
  /** The titles of the cases the fake holds (one per case held). */
  titles(fake: Fake): string[];
  /** Successful creates and updates the fake has counted. */
  counts(fake: Fake): { creates: number; updates: number };
  /** True for the request that creates one case (the crash breaks its 500th answer). */
  isCreate(url: string, init: RequestInit | undefined): boolean;
  /** Faults for the retry run: some 429 answers with `Retry-After`, some 5xx. */
  faults: InjectedFault[];
  /** The `Retry-After` of those 429s, in ms, and how many waits of it the run records. */
  retryAfter: { milliseconds: number; waits: number };
  /** What the fix of the wrong-credentials error names. */
  credentialFix: RegExp;
  /** Before the first push of 1,200 cases, e.g. marking stories as imported from Jira. */
  prepareStories?(storage: Storage): Promise<void>;
  /** Tool-specific checks after the first push of 1,200 cases. */
  checkFullPush?(fake: Fake, result: PushResult): void;
  /** Every case the fake holds is whole (its steps written), after a push, a resume or retries. */
  checkEveryCaseWhole?(fake: Fake): void;
  /** The 3 edited cases (their steps cut to one) hold what was edited, not an append. */
  checkEditedCases?(fake: Fake): void;
}

function expectEachOnce(titles: string[]) {
  const counts = new Map<string, number>();
  for (const title of titles) counts.set(title, (counts.get(title) ?? 0) + 1);
  expect([...counts.values()].every((count) => count === 1)).toBe(true);
}

/**
 * The suite on each of `dialects` (default: both). A tool's suite can be split into a file per
 * dialect, so the two test workers run the halves side by side.
 */
export function describePushTarget<
  Fake extends { close(): Promise<void>; injectFault(fault: InjectedFault): void },
>(harness: PushTargetHarness<Fake>, dialects: readonly TestDialect[] = DIALECTS): void {
  for (const dialect of dialects) {
    describe.skipIf(!isAvailable(dialect))(
      describeDialect(`push to ${harness.name}`, dialect),
      // The global ceiling (vitest.config.ts): 180 s was hit by the 1,200-case run at load 20.
      () => {
        let fake: Fake;
        let context: ConnectorTestWorkspace;
        beforeEach(async () => {
          fake = await harness.start();
          context = await createConnectorWorkspace(dialect, harness.environment(fake));
        });
        afterEach(async () => {
          await context.dispose();
          await fake.close();
        });
        const push = (workspace = context.workspace) =>
          workspace.push.push({ project: 'Shop', to: harness.target });

        it('pushes 1,200 cases, each once, after a dry run that sends nothing; a second push with 3 edited cases updates those 3 and creates nothing', async () => {
          await seedAcceptedCases(context.storage, 100, 12);
          await harness.prepareStories?.(context.storage);
          const preview = await context.workspace.push.push({
            project: 'Shop',
            to: harness.target,
            dryRun: true,
          });
          expect(preview.counts.total).toBe(1200);
          expect(preview.cases.every((testCase) => testCase.outcome === 'would-create')).toBe(true);
          expect(harness.counts(fake).creates).toBe(0);

          const result = await push();
          expect(result.counts).toEqual({ total: 1200, created: 1200, updated: 0, unchanged: 0, failed: 0 });
          expect(harness.titles(fake)).toHaveLength(1200);
          expectEachOnce(harness.titles(fake));
          expect(new Set(result.cases.map((testCase) => testCase.externalKey)).size).toBe(1200);
          harness.checkFullPush?.(fake, result);
          harness.checkEveryCaseWhole?.(fake);

          // The same 1,200 pushed again after 3 edits (one push of 1,200 serves both halves: it is
          // the slowest part of these suites).
          const cases = await context.storage.testCases.list({ status: 'accepted' });
          for (const testCase of [cases[5], cases[500], cases[1199]].map((item) => item!)) {
            await context.storage.testCases.updateContent(testCase.id, {
              title: `${testCase.title} (edited)`,
              kind: testCase.kind,
              priority: testCase.priority,
              preconditions: testCase.preconditions,
              steps: testCase.steps.slice(0, 1),
              covers: testCase.covers,
              engine: testCase.engine,
              warnings: testCase.warnings,
            });
          }
          const before = await context.workspace.push.status({ project: 'Shop', to: harness.target });
          expect(before.cases.filter((testCase) => testCase.state === 'out-of-date')).toHaveLength(3);
          const createsBefore = harness.counts(fake).creates;

          const again = await push();
          expect(again.counts).toEqual({ total: 1200, created: 0, updated: 3, unchanged: 1197, failed: 0 });
          expect(harness.counts(fake)).toEqual({ creates: createsBefore, updates: 3 });
          expect(harness.titles(fake)).toHaveLength(1200);
          expect(harness.titles(fake).filter((title) => title.endsWith('(edited)'))).toHaveLength(3);
          harness.checkEditedCases?.(fake);
          const after = await context.workspace.push.status({ project: 'Shop', to: harness.target });
          expect(after.cases.every((testCase) => testCase.state === 'up-to-date')).toBe(true);
        });

        it('a push that crashes mid-way resumes with every case created exactly once', async () => {
          // 600 cases, the 500th create crashing: 499 pushed, one made but unanswered, 100 not sent
          // yet. The resume proves the same with 100 left to send as with 700 (each case created
          // once, the unanswered one not twice), at half the requests of 1,200.
          await seedAcceptedCases(context.storage, 50, 12);
          // The crash: the tool makes the 500th case, but its answer never reaches the push.
          let creates = 0;
          const crashing = context.reopen({
            fetch: async (input, init) => {
              const response = await fetch(input, init);
              if (harness.isCreate(String(input), init) && ++creates === 500)
                throw new TypeError('fetch failed: socket hang up');
              return response;
            },
          });
          const error = await push(crashing).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(ConnectorError);
          expect(harness.titles(fake)).toHaveLength(500);
          const [failedJob] = await context.workspace.push.listJobs('Shop');
          expect(failedJob?.status).toBe('failed');

          const resumed = await context.workspace.push.resume(failedJob!.id);
          expect(resumed.jobId).toBe(failedJob!.id);
          expect(resumed.counts.created + resumed.counts.unchanged).toBe(600);
          expect(resumed.counts.failed).toBe(0);
          expect(harness.counts(fake).creates).toBe(600);
          expect(harness.titles(fake)).toHaveLength(600);
          expectEachOnce(harness.titles(fake));
          const status = await context.workspace.push.status({ project: 'Shop', to: harness.target });
          expect(status.cases.every((testCase) => testCase.state === 'up-to-date')).toBe(true);
          expect(new Set(status.cases.map((testCase) => testCase.externalKey)).size).toBe(600);
          harness.checkEveryCaseWhole?.(fake);
        });

        it('a push whose process dies mid-way (an answer that never comes, nothing more written) resumes with every case created exactly once', async () => {
          // 120 cases; the tool makes the 100th, then the push hangs for good, as if killed: the
          // results it held for its next write are lost, the cases it marked still say `creating`.
          await seedAcceptedCases(context.storage, 10, 12);
          let creates = 0;
          let died!: () => void;
          const death = new Promise<void>((resolve) => (died = resolve));
          const dying = context.reopen({
            fetch: async (input, init) => {
              const response = await fetch(input, init);
              if (harness.isCreate(String(input), init) && ++creates === 100) {
                died();
                return new Promise<never>(() => undefined);
              }
              return response;
            },
          });
          void push(dying);
          await death;
          expect(harness.titles(fake)).toHaveLength(100);
          const [deadJob] = await context.workspace.push.listJobs('Shop');
          expect(deadJob?.status).toBe('running');

          const resumed = await context.workspace.push.resume(deadJob!.id);
          expect(resumed.counts.created + resumed.counts.unchanged).toBe(120);
          expect(resumed.counts.failed).toBe(0);
          expect(harness.counts(fake).creates).toBe(120);
          expectEachOnce(harness.titles(fake));
          expect(harness.titles(fake)).toHaveLength(120);
          const status = await context.workspace.push.status({ project: 'Shop', to: harness.target });
          expect(status.cases.every((testCase) => testCase.state === 'up-to-date')).toBe(true);
          expect(new Set(status.cases.map((testCase) => testCase.externalKey)).size).toBe(120);
          harness.checkEveryCaseWhole?.(fake);
        });

        it('429 with Retry-After and 5xx mid-push are retried and nothing is duplicated', async () => {
          await seedAcceptedCases(context.storage, 5, 12);
          for (const fault of harness.faults) fake.injectFault(fault);
          const result = await push();
          expect(result.counts.created).toBe(60);
          expect(harness.titles(fake)).toHaveLength(60);
          expectEachOnce(harness.titles(fake));
          const { milliseconds: retryAfter, waits } = harness.retryAfter;
          expect(context.sleeps.filter((milliseconds) => milliseconds === retryAfter)).toHaveLength(waits);
          // No other wait (pacing, backoff) reached the Retry-After: the recorded ones are the 429s'.
          expect(
            Math.max(0, ...context.sleeps.filter((milliseconds) => milliseconds !== retryAfter)),
          ).toBeLessThan(retryAfter);
          harness.checkEveryCaseWhole?.(fake);
        });

        it('wrong credentials: a named error with a fix, nothing written here or there', async () => {
          const wrongSecret = 'wrong-secret-000000000';
          const wrong = await createConnectorWorkspace(dialect, harness.environment(fake, wrongSecret));
          try {
            await seedAcceptedCases(wrong.storage, 2, 3);
            const error = await push(wrong.workspace).catch((caught: unknown) => caught);
            expect(error).toBeInstanceOf(ConnectorError);
            expect((error as ConnectorError).code).toBe('connector_authentication');
            expect((error as ConnectorError).fix).toMatch(harness.credentialFix);
            expect((error as ConnectorError).message).not.toContain(wrongSecret);
            expect(harness.titles(fake)).toHaveLength(0);
            expect(await wrong.workspace.push.listJobs('Shop')).toHaveLength(0);
            const status = await wrong.workspace.push.status({ project: 'Shop', to: harness.target });
            expect(status.cases.every((testCase) => testCase.state === 'not-pushed')).toBe(true);
          } finally {
            await wrong.dispose();
          }
        });
      },
    );
  }
}
