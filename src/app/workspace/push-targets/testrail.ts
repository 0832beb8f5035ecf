import {
  createTestRailClient,
  resolveTestRailLookups,
  toTestRailCase,
  type ConnectorDependencies,
  type TestRailLookups,
  type TestRailSection,
} from '../../../connectors/index.ts';
import { ConfigurationError } from '../../../shared/errors.ts';
import { domainTestCase } from '../context.ts';
import type { ResolvedConnection } from '../connections.ts';
import { listedOnce, sendMarkedAhead } from './marked-ahead.ts';
import type { PushAdapter, PushItem } from './types.ts';

/**
 * TestRail: a section per story (found by name or created), one `add_case` per new case and
 * `update_case` per changed one, paced to the instance's request rate. A case whose create was sent
 * but not recorded (a crash) is looked up in its section by title and story key before it is
 * created again.
 */
export function createTestRailPushAdapter(
  connection: ResolvedConnection,
  dependencies: ConnectorDependencies,
): PushAdapter {
  const { projectId, user, suiteId } = requireTestRailSettings(connection);
  const client = createTestRailClient({
    ...dependencies,
    baseUrl: connection.baseUrl,
    user,
    apiKey: connection.secret,
    ...(connection.settings.requestsPerMinute
      ? { requestsPerMinute: Number(connection.settings.requestsPerMinute) }
      : {}),
  });
  let lookups: TestRailLookups | undefined;
  let sections: Map<string, TestRailSection> | undefined;
  const casesIn = listedOnce((sectionId: number) =>
    client.getCases(projectId, { sectionId, ...(suiteId === undefined ? {} : { suiteId }) }),
  );

  async function sectionFor(item: PushItem): Promise<TestRailSection> {
    sections ??= new Map(
      (await client.getSections(projectId, suiteId)).map((section) => [section.name, section]),
    );
    const name = sectionName(item);
    const existing = sections.get(name);
    if (existing) return existing;
    const created = await client.addSection(projectId, {
      name,
      ...(suiteId === undefined ? {} : { suite_id: suiteId }),
      description: `Test cases of ${item.story.key}, pushed by Reqase Lite.`,
    });
    sections.set(name, created);
    return created;
  }

  return {
    target: `testrail ${connection.baseUrl} project ${projectId}${suiteId === undefined ? '' : ` suite ${suiteId}`}`,
    requestCount: () => client.http.requestCount,
    async prepare() {
      // One after the other: the instance's rate limit counts every request anyway.
      const templates = await client.getTemplates(projectId);
      const caseTypes = await client.getCaseTypes();
      const priorities = await client.getPriorities();
      lookups = resolveTestRailLookups(templates, caseTypes, priorities);
    },
    async push(items, recorder) {
      if (!lookups) throw new Error('prepare() must run before push().');
      const resolved = lookups;
      await sendMarkedAhead(items, recorder, async (item) => {
        const body = toTestRailCase(domainTestCase(item.testCase), item.story.key, resolved);
        if (item.action === 'update' && item.pushed?.externalId) {
          const updated = await client.updateCase(Number(item.pushed.externalId), body);
          await recorder.pushed(item, String(updated.id), `C${updated.id}`);
          return;
        }
        const section = await sectionFor(item);
        if (item.pushed?.state === 'creating') {
          // The last push marked this create and stopped before recording its answer (if it was
          // sent at all): look for it among the cases its section held when this push began.
          const existing = (await casesIn(section.id)).find(
            (candidate) => candidate.title === body.title && (candidate.refs ?? '').includes(item.story.key),
          );
          if (existing) {
            await recorder.pushed(item, String(existing.id), `C${existing.id}`);
            return;
          }
        }
        const created = await client.addCase(section.id, body);
        await recorder.pushed(item, String(created.id), `C${created.id}`);
      });
    },
  };
}

/** The project, user and suite of the connection; a missing project id or user is a configuration error. */
function requireTestRailSettings(connection: ResolvedConnection): {
  projectId: number;
  user: string;
  suiteId: number | undefined;
} {
  const projectId = Number(connection.settings.projectId);
  if (!Number.isInteger(projectId) || projectId <= 0) {
    throw new ConfigurationError('No TestRail project id was given.', {
      fix: "Set the connection's projectId setting, or REQASE_TESTRAIL_PROJECT_ID (the number in the project's URL).",
    });
  }
  const user = connection.settings.user;
  if (!user) {
    throw new ConfigurationError('No TestRail user was given.', {
      fix: "Set the connection's user (the email you log in with), or REQASE_TESTRAIL_USER.",
    });
  }
  const suiteId = connection.settings.suiteId ? Number(connection.settings.suiteId) : undefined;
  return { projectId, user, suiteId };
}

function sectionName(item: PushItem): string {
  return `${item.story.key}: ${item.story.summary}`.slice(0, 250);
}
