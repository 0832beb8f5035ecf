import {
  createZephyrScaleClient,
  toZephyrScaleCase,
  toZephyrScaleSteps,
  type ConnectorDependencies,
  type ZephyrScaleFolder,
} from '../../../connectors/index.ts';
import { ConfigurationError } from '../../../shared/errors.ts';
import { domainTestCase } from '../context.ts';
import type { ResolvedConnection } from '../connections.ts';
import type { PushAdapter, PushItem, PushRecorder } from './types.ts';

/**
 * Zephyr Scale Cloud: a test-case folder per story (found by name or created), `POST /testcases`
 * per new case and `GET` + `PUT` per changed one, then its steps (`OVERWRITE`) or its BDD script,
 * and a link to the story's Jira issue when the story was imported from Jira. A case whose create
 * was sent but not recorded (a crash) is looked up in its folder by name and story-key label before
 * it is created again.
 */
// eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
export function createZephyrScalePushAdapter(
  connection: ResolvedConnection,
  dependencies: ConnectorDependencies,
): PushAdapter {
  const { projectKey } = connection.settings;
  if (!projectKey) {
    throw new ConfigurationError('No Zephyr Scale project key was given.', {
      fix: "Set the connection's projectKey setting, or REQASE_ZEPHYR_SCALE_PROJECT_KEY (the Jira project key, e.g. SHOP).",
    });
  }
  const client = createZephyrScaleClient({
    ...dependencies,
    baseUrl: connection.baseUrl,
    token: connection.secret,
  });
  let folders: Map<string, ZephyrScaleFolder> | undefined;

  async function folderFor(item: PushItem): Promise<ZephyrScaleFolder> {
    folders ??= new Map(
      (await client.listFolders(projectKey as string))
        .filter((folder) => folder.parentId === null)
        .map((folder) => [folder.name, folder]),
    );
    const name = folderName(item);
    const existing = folders.get(name);
    if (existing) return existing;
    const created = await client.createFolder(projectKey as string, name);
    folders.set(name, created);
    return created;
  }

  /** Steps or BDD script, then the story link: the parts a create or an update writes after the case. */
  async function writeContent(item: PushItem, key: string, linkStory: boolean, recorder: PushRecorder) {
    const testCase = domainTestCase(item.testCase);
    if (testCase.gherkin) await client.setBddScript(key, testCase.gherkin);
    else await client.setSteps(key, toZephyrScaleSteps(testCase));
    if (!linkStory) return;
    if (item.storyIssueId && /^\d+$/.test(item.storyIssueId)) {
      await client.linkIssue(key, Number(item.storyIssueId));
    } else {
      recorder.warn(
        `${item.story.key} was not imported from Jira, so its cases are not linked to it in Zephyr Scale; import the story from Jira and push again to link them.`,
      );
    }
  }

  return {
    target: `zephyr-scale ${connection.baseUrl} project ${projectKey}`,
    requestCount: () => client.http.requestCount,
    async prepare() {
      // A wrong token or project key fails here, before anything is written.
      await client.getProject(projectKey);
    },
    async push(items, recorder) {
      for (const item of items) {
        const testCase = domainTestCase(item.testCase);
        const statusName = testCase.status === 'accepted' ? 'Approved' : 'Draft';
        if (item.action === 'update' && item.pushed?.externalKey) {
          const key = item.pushed.externalKey;
          const current = await client.getTestCase(key);
          const body = toZephyrScaleCase(testCase, {
            projectKey,
            storyKey: item.story.key,
            folderId: current.folder?.id ?? 0,
            statusName,
          });
          await client.updateTestCase({
            ...current,
            name: body.name,
            objective: body.objective ?? null,
            precondition: body.precondition ?? null,
            labels: body.labels ?? [],
          });
          await writeContent(item, key, false, recorder);
          await recorder.pushed(item, String(current.id), key);
          continue;
        }
        const folder = await folderFor(item);
        const body = toZephyrScaleCase(testCase, {
          projectKey,
          storyKey: item.story.key,
          folderId: folder.id,
          statusName,
        });
        if (item.pushed?.state === 'creating') {
          // The last push sent this create and stopped before recording its answer.
          const found = (await client.listTestCases(projectKey, folder.id)).find(
            (existing) => existing.name === body.name && (existing.labels ?? []).includes(item.story.key),
          );
          if (found) {
            await writeContent(item, found.key, true, recorder);
            await recorder.pushed(item, String(found.id), found.key);
            continue;
          }
        } else {
          await recorder.markCreating([item]);
        }
        const created = await client.createTestCase(body);
        await writeContent(item, created.key, true, recorder);
        await recorder.pushed(item, String(created.id), created.key);
      }
    },
  };
}

function folderName(item: PushItem): string {
  return `${item.story.key}: ${item.story.summary}`.replace(/\//g, '-').slice(0, 255);
}
