import {
  createXrayCloudClient,
  toXrayTest,
  XRAY_BULK_LIMIT,
  type ConnectorDependencies,
  type XrayImportResult,
} from '../../../connectors/index.ts';
import { ConfigurationError } from '../../../shared/errors.ts';
import { domainTestCase } from '../context.ts';
import type { ResolvedConnection } from '../connections.ts';
import type { PushAdapter, PushItem, PushRecorder } from './types.ts';

/**
 * Xray Cloud: bulk imports of at most 1,000 tests (updates carry `update_key`), each polled until
 * it ends and its per-element results mapped back to cases. The job id is recorded with the
 * batch's cases, so a resumed push polls that job instead of importing the batch again.
 */
export function createXrayCloudPushAdapter(
  connection: ResolvedConnection,
  dependencies: ConnectorDependencies,
  options: { generic: boolean },
): PushAdapter {
  const { clientId, projectKey } = connection.settings;
  if (!clientId || !projectKey) {
    throw new ConfigurationError('The Xray client id or the Jira project key is missing.', {
      fix: "Set the connection's clientId and projectKey settings, or REQASE_XRAY_CLIENT_ID and REQASE_XRAY_PROJECT_KEY.",
    });
  }
  const linkType = connection.settings.linkType ?? 'Test';
  const client = createXrayCloudClient({
    ...dependencies,
    baseUrl: connection.baseUrl,
    clientId,
    clientSecret: connection.secret,
  });

  return {
    target: `xray-cloud ${connection.baseUrl} project ${projectKey}`,
    requestCount: () => client.http.requestCount,
    async prepare() {
      await client.authenticate();
    },
    async push(items, recorder) {
      // Creates already sent in a bulk job that was not followed to its end: follow that job now
      // instead of importing them again.
      const { byJob, rest } = groupByImportJob(items);
      for (const [jobId, sent] of byJob) {
        await applyResult(sent, await client.waitForImport(jobId), recorder);
      }
      for (let start = 0; start < rest.length; start += XRAY_BULK_LIMIT) {
        const batch = rest.slice(start, start + XRAY_BULK_LIMIT);
        const tests = batch.map((item) =>
          toXrayTest(domainTestCase(item.testCase), {
            projectKey,
            storyKey: item.story.key,
            linkType,
            folder: `/${item.story.key}`,
            generic: options.generic,
            ...(item.action === 'update' && item.pushed?.externalKey
              ? { updateKey: item.pushed.externalKey }
              : {}),
          }),
        );
        const creates = batch.filter((item) => item.action === 'create');
        await recorder.markCreating(creates);
        const jobId = await client.importTests(tests);
        await recorder.setBatch(
          batch.flatMap((item, elementNumber) =>
            item.action === 'create' ? [{ item, batchId: `${jobId}#${elementNumber}` }] : [],
          ),
        );
        await applyResult(batch, await client.waitForImport(jobId), recorder);
      }
    },
  };
}

/** Applies an import's per-element results to the cases of its batch. */
async function applyResult(
  batch: ReadonlyArray<PushItem | undefined>,
  result: XrayImportResult,
  recorder: PushRecorder,
) {
  for (const issue of result.issues) {
    const item = batch[issue.elementNumber];
    if (item) await recorder.pushed(item, issue.id, issue.key);
  }
  for (const error of result.errors) {
    const item = batch[error.elementNumber];
    if (item) await recorder.failed(item, `Xray refused it: ${JSON.stringify(error.errors)}`);
  }
}

/** Cases already sent in a bulk import job (by job, at their element number), and the rest. */
function groupByImportJob(items: readonly PushItem[]): { byJob: Map<string, PushItem[]>; rest: PushItem[] } {
  const byJob = new Map<string, PushItem[]>();
  const rest: PushItem[] = [];
  for (const item of items) {
    const batch = item.pushed?.state === 'creating' ? parseBatch(item.pushed.batchId) : undefined;
    if (!batch) {
      rest.push(item);
      continue;
    }
    const sent = byJob.get(batch.jobId) ?? [];
    sent[batch.elementNumber] = item;
    byJob.set(batch.jobId, sent);
  }
  return { byJob, rest };
}

function parseBatch(batchId: string | null): { jobId: string; elementNumber: number } | undefined {
  const match = batchId ? /^(.+)#(\d+)$/.exec(batchId) : null;
  return match ? { jobId: match[1] as string, elementNumber: Number(match[2]) } : undefined;
}
