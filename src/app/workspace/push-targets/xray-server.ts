import {
  createXrayServerClient,
  toXrayServerIssue,
  toXrayServerSteps,
  XRAY_SERVER_FIELD_NAMES,
  type ConnectorDependencies,
  type XrayServerFieldIds,
} from '../../../connectors/index.ts';
import { ConfigurationError } from '../../../shared/errors.ts';
import { domainTestCase } from '../context.ts';
import type { ResolvedConnection } from '../connections.ts';
import { listedOnce, sendMarkedAhead } from './marked-ahead.ts';
import type { PushAdapter, PushItem, PushRecorder } from './types.ts';

/** Xray Server/DC's link type from a test to the requirement it tests. */
const DEFAULT_LINK_TYPE = 'Tests';

/**
 * Xray Server / Data Center: a Jira issue of type Test per new case (`POST /rest/api/2/issue` with
 * the Xray fields and the link to its story), `PUT /rest/api/2/issue/{key}` per changed one, then
 * the manual steps replaced through Xray's step API. A case whose create was sent but not recorded
 * (a crash) is searched for by its story-key label and summary before it is created again.
 */
export function createXrayServerPushAdapter(
  connection: ResolvedConnection,
  dependencies: ConnectorDependencies,
  options: { generic: boolean },
): PushAdapter {
  const { projectKey } = connection.settings;
  if (!projectKey) {
    throw new ConfigurationError('No Xray Server project key was given.', {
      fix: "Set the connection's projectKey setting, or REQASE_XRAY_SERVER_PROJECT_KEY (the Jira project tests are created in, e.g. QA).",
    });
  }
  const linkType = connection.settings.linkType?.trim() || DEFAULT_LINK_TYPE;
  const client = createXrayServerClient({
    ...dependencies,
    baseUrl: connection.baseUrl,
    ...(connection.settings.user ? { user: connection.settings.user } : {}),
    secret: connection.secret,
  });
  let fields: XrayServerFieldIds | undefined;

  function issueFor(item: PushItem, create: boolean) {
    return toXrayServerIssue(domainTestCase(item.testCase), {
      projectKey: projectKey as string,
      storyKey: item.story.key,
      fields: fields as XrayServerFieldIds,
      generic: options.generic,
      action: create ? 'create' : 'update',
      linkType,
    });
  }

  async function writeSteps(item: PushItem, key: string) {
    const testCase = domainTestCase(item.testCase);
    if (testCase.gherkin || options.generic) return;
    await client.setSteps(key, toXrayServerSteps(testCase, options.generic));
  }

  const testsOf = listedOnce((storyKey: string) => client.findTests(projectKey as string, storyKey));

  async function findCreated(item: PushItem): Promise<{ id: string; key: string } | undefined> {
    const summary = issueFor(item, false).fields.summary;
    return (await testsOf(item.story.key)).find((test) => test.summary === summary);
  }

  async function pushOne(item: PushItem, recorder: PushRecorder) {
    if (item.action === 'update' && item.pushed?.externalKey) {
      const key = item.pushed.externalKey;
      await client.updateIssue(key, issueFor(item, false));
      await writeSteps(item, key);
      await recorder.pushed(item, item.pushed.externalId ?? key, key);
      return;
    }
    if (item.pushed?.state === 'creating') {
      // The last push marked this create and stopped before recording its answer (if it was sent
      // at all): look for it among the story's tests when this push began.
      const found = await findCreated(item);
      if (found) {
        await writeSteps(item, found.key);
        await recorder.pushed(item, found.id, found.key);
        return;
      }
    }
    const created = await client.createIssue(issueFor(item, true));
    await writeSteps(item, created.key);
    await recorder.pushed(item, created.id, created.key);
  }

  return {
    target: `xray-server ${connection.baseUrl} project ${projectKey}`,
    requestCount: () => client.http.requestCount,
    async prepare() {
      // Wrong credentials, a wrong project or a Jira without Xray fail here, before any write.
      await client.getProject(projectKey);
      fields = await client.resolveFields({
        testType: connection.settings.testTypeField?.trim() || XRAY_SERVER_FIELD_NAMES.testType,
        cucumberScenario:
          connection.settings.cucumberScenarioField?.trim() || XRAY_SERVER_FIELD_NAMES.cucumberScenario,
        genericDefinition:
          connection.settings.genericDefinitionField?.trim() || XRAY_SERVER_FIELD_NAMES.genericDefinition,
      });
    },
    async push(items, recorder) {
      await sendMarkedAhead(items, recorder, (item) => pushOne(item, recorder));
    },
  };
}
