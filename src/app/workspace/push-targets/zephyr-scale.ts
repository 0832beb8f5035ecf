import {
  createZephyrScaleClient,
  toZephyrScaleCase,
  toZephyrScaleSteps,
  type ConnectorDependencies,
  type ZephyrScaleClient,
  type ZephyrScaleFolder,
  type ZephyrScaleTestCase,
} from '../../../connectors/index.ts';
import { ConfigurationError } from '../../../shared/errors.ts';
import { domainTestCase } from '../context.ts';
import type { ResolvedConnection } from '../connections.ts';
import { listedOnce, sendMarkedAhead } from './marked-ahead.ts';
import type { PushAdapter, PushItem, PushRecorder } from './types.ts';

/**
 * Zephyr Scale Cloud: a test-case folder per story (found by name or created), `POST /testcases`
 * per new case and `GET` + `PUT` per changed one, then its steps (`OVERWRITE`) or its BDD script,
 * and a link to the story's Jira issue when the story was imported from Jira. A case whose create
 * was sent but not recorded (a crash) is looked up in its folder by name and story-key label before
 * it is created again.
 */
export function createZephyrScalePushAdapter(
  connection: ResolvedConnection,
  dependencies: ConnectorDependencies,
): PushAdapter {
  const projectKey = requireProjectKey(connection);
  const client = createZephyrScaleClient({
    ...dependencies,
    baseUrl: connection.baseUrl,
    token: connection.secret,
  });
  const destination: ZephyrScaleDestination = {
    client,
    projectKey,
    folders: undefined,
    casesIn: listedOnce((folderId: number) => client.listTestCases(projectKey, folderId)),
  };
  return {
    target: `zephyr-scale ${connection.baseUrl} project ${projectKey}`,
    requestCount: () => client.http.requestCount,
    async prepare() {
      // A wrong token or project key fails here, before anything is written.
      await client.getProject(projectKey);
    },
    async push(items, recorder) {
      await sendMarkedAhead(items, recorder, async (item) => {
        if (item.action === 'update' && item.pushed?.externalKey) {
          await updateCase(destination, item, item.pushed.externalKey, recorder);
        } else {
          await createCase(destination, item, recorder);
        }
      });
    },
  };
}

/** What the steps of one adapter's pushes share: the client, the project, the folders found so far. */
interface ZephyrScaleDestination {
  client: ZephyrScaleClient;
  projectKey: string;
  /** The project's top-level folders by name: listed at the first new case, then kept up to date. */
  folders: Map<string, ZephyrScaleFolder> | undefined;
  /** A folder's cases, listed once per push (only a resumed push looks). */
  casesIn: (folderId: number) => Promise<ZephyrScaleTestCase[]>;
}

function requireProjectKey(connection: ResolvedConnection): string {
  const { projectKey } = connection.settings;
  if (!projectKey) {
    throw new ConfigurationError('No Zephyr Scale project key was given.', {
      fix: "Set the connection's projectKey setting, or REQASE_ZEPHYR_SCALE_PROJECT_KEY (the Jira project key, e.g. SHOP).",
    });
  }
  return projectKey;
}

/** `GET` the stored case, `PUT` it back with the new name, objective, precondition and labels, then its content. */
async function updateCase(
  destination: ZephyrScaleDestination,
  item: PushItem,
  key: string,
  recorder: PushRecorder,
): Promise<void> {
  const current = await destination.client.getTestCase(key);
  const body = caseBody(destination, item, current.folder?.id ?? 0);
  await destination.client.updateTestCase({
    ...current,
    name: body.name,
    objective: body.objective ?? null,
    precondition: body.precondition ?? null,
    labels: body.labels ?? [],
  });
  await writeContent(destination, item, key, false, recorder);
  await recorder.pushed(item, String(current.id), key);
}

/**
 * Creates the case in its story's folder (marked as creating before); a case the last push marked
 * is looked up in the folder (by name and story-key label) and only created when it is not there.
 */
async function createCase(
  destination: ZephyrScaleDestination,
  item: PushItem,
  recorder: PushRecorder,
): Promise<void> {
  const folder = await folderFor(destination, item);
  const body = caseBody(destination, item, folder.id);
  if (item.pushed?.state === 'creating') {
    // The last push marked this create and stopped before recording its answer (if it was sent at
    // all): look for it among the cases its folder held when this push began.
    const found = (await destination.casesIn(folder.id)).find(
      (existing) => existing.name === body.name && (existing.labels ?? []).includes(item.story.key),
    );
    if (found) {
      await writeContent(destination, item, found.key, true, recorder);
      await recorder.pushed(item, String(found.id), found.key);
      return;
    }
  }
  const created = await destination.client.createTestCase(body);
  await writeContent(destination, item, created.key, true, recorder);
  await recorder.pushed(item, String(created.id), created.key);
}

function caseBody(
  destination: ZephyrScaleDestination,
  item: PushItem,
  folderId: number,
): ReturnType<typeof toZephyrScaleCase> {
  const testCase = domainTestCase(item.testCase);
  return toZephyrScaleCase(testCase, {
    projectKey: destination.projectKey,
    storyKey: item.story.key,
    folderId,
    statusName: testCase.status === 'accepted' ? 'Approved' : 'Draft',
  });
}

/** The story's top-level folder, found by name or created. */
async function folderFor(destination: ZephyrScaleDestination, item: PushItem): Promise<ZephyrScaleFolder> {
  destination.folders ??= new Map(
    (await destination.client.listFolders(destination.projectKey))
      .filter((folder) => folder.parentId === null)
      .map((folder) => [folder.name, folder]),
  );
  const name = folderName(item);
  const existing = destination.folders.get(name);
  if (existing) return existing;
  const created = await destination.client.createFolder(destination.projectKey, name);
  destination.folders.set(name, created);
  return created;
}

/** Steps or BDD script, then the story link: the parts a create or an update writes after the case. */
async function writeContent(
  destination: ZephyrScaleDestination,
  item: PushItem,
  key: string,
  linkStory: boolean,
  recorder: PushRecorder,
): Promise<void> {
  const testCase = domainTestCase(item.testCase);
  if (testCase.gherkin) await destination.client.setBddScript(key, testCase.gherkin);
  else await destination.client.setSteps(key, toZephyrScaleSteps(testCase));
  if (!linkStory) return;
  if (item.storyIssueId && /^\d+$/.test(item.storyIssueId)) {
    await destination.client.linkIssue(key, Number(item.storyIssueId));
  } else {
    recorder.warn(
      `${item.story.key} was not imported from Jira, so its cases are not linked to it in Zephyr Scale; import the story from Jira and push again to link them.`,
    );
  }
}

function folderName(item: PushItem): string {
  return `${item.story.key}: ${item.story.summary}`.replace(/\//g, '-').slice(0, 255);
}
