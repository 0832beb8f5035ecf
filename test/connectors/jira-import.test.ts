import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connectors/index.ts';
import { fakeJiraStories, startFakeJira, type FakeJira } from '../support/fake-jira.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import { createConnectorWorkspace, type ConnectorTestWorkspace } from './connectors-support.ts';

const EMAIL = 'qa@example.com';
const TOKEN = 'jira-api-token-0123456789';
const PAT = 'jira-pat-0123456789abcdef';

let jira: FakeJira;
beforeAll(async () => {
  jira = await startFakeJira({
    email: EMAIL,
    token: TOKEN,
    personalAccessToken: PAT,
    issues: fakeJiraStories('SHOP', 250),
  });
});
afterAll(async () => jira.close());

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('Jira story import', dialect),
    { timeout: 120_000 },
    () => {
      let context: ConnectorTestWorkspace;
      beforeEach(async () => {
        jira.requests.length = 0;
        context = await createConnectorWorkspace(dialect, {
          REQASE_JIRA_URL: jira.url,
          REQASE_JIRA_EMAIL: EMAIL,
          REQASE_JIRA_TOKEN: TOKEN,
        });
        await context.workspace.projects.create({ name: 'Shop' });
      });
      afterEach(async () => context.dispose());

      it('imports 250 stories by JQL across pages, criteria from the custom field found by name or the description', async () => {
        const result = await context.workspace.importStoriesFromJira('Shop', {
          jql: 'project = SHOP AND issuetype = Story',
        });
        expect(result.issues).toBe(250);
        expect(result.acceptanceCriteriaField).toBe('customfield_10042');
        expect(result.stories.filter((story) => story.status === 'created')).toHaveLength(250);
        const searches = jira.requests.filter((request) => request.path === '/rest/api/3/search/jql');
        expect(searches).toHaveLength(3);
        expect(searches[1]?.query.get('nextPageToken')).toBeTruthy();
        expect(jira.requests.some((request) => request.path === '/rest/api/3/field')).toBe(true);

        const fromField = (await context.workspace.stories.show('Shop', 'SHOP-2')).story;
        expect(fromField.acceptanceCriteria.map((criterion) => criterion.text)).toEqual([
          'Shoppers can pay order 2 by card',
          'A receipt for order 2 is e-mailed',
        ]);
        expect(fromField.description).toContain('As a shopper I want to pay order 2');
        const fromDescription = (await context.workspace.stories.show('Shop', 'SHOP-1')).story;
        expect(fromDescription.acceptanceCriteria.map((criterion) => criterion.text)).toEqual([
          'Shoppers can pay order 1 by card',
          'A receipt for order 1 is e-mailed',
        ]);
        expect(fromDescription.source).toBe('jira');
        expect(await context.storage.storyIssues.get(fromField.id)).toMatchObject({
          issueId: '10002',
          issueKey: 'SHOP-2',
        });
      });

      it('re-imports as a sync: a changed criterion marks the cases covering it for review', async () => {
        await context.workspace.importStoriesFromJira('Shop', { keys: ['SHOP-2', 'SHOP-4'] });
        const story = (await context.workspace.stories.show('Shop', 'SHOP-2')).story;
        const [testCase] = await context.storage.testCases.insertMany([
          {
            projectId: story.projectId,
            storyId: story.id,
            title: 'Pay order 2 by card',
            kind: 'positive',
            priority: 'high',
            preconditions: [],
            steps: [{ action: 'Pay', expected: 'Paid' }],
            covers: ['AC-1'],
            engine: 'rules',
            warnings: [],
          },
        ]);
        const issue = jira.issues.find((candidate) => candidate.key === 'SHOP-2');
        const original = issue?.acceptanceCriteria;
        if (issue)
          issue.acceptanceCriteria = [
            'Shoppers can pay order 2 by card or by PayPal',
            'A receipt for order 2 is e-mailed',
          ];
        try {
          const result = await context.workspace.importStoriesFromJira('Shop', {
            keys: ['SHOP-2', 'SHOP-4'],
          });
          const changed = result.stories.find((imported) => imported.key === 'SHOP-2');
          expect(changed?.status).toBe('changed');
          expect(changed?.changes?.changed.map((change) => change.id)).toEqual(['AC-1']);
          expect(changed?.markedForReview).toEqual([testCase?.id]);
          expect(result.stories.find((imported) => imported.key === 'SHOP-4')?.status).toBe('unchanged');
        } finally {
          if (issue && original !== undefined) issue.acceptanceCriteria = original;
        }
      });

      it('honours 429 with Retry-After mid-pagination and imports every story once', async () => {
        jira.injectFault({
          match: /search\/jql\?.*nextPageToken/,
          count: 2,
          response: {
            status: 429,
            headers: { 'Retry-After': '3' },
            body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
          },
        });
        const result = await context.workspace.importStoriesFromJira('Shop', { jql: 'project = SHOP' });
        expect(result.stories).toHaveLength(250);
        expect(context.sleeps.filter((milliseconds) => milliseconds === 3000)).toHaveLength(2);
      });

      it('reads Jira Server / Data Center over REST v2 with a personal access token', async () => {
        const server = await createConnectorWorkspace(dialect, {
          REQASE_JIRA_URL: jira.url,
          REQASE_JIRA_TOKEN: PAT,
          REQASE_JIRA_DEPLOYMENT: 'server',
        });
        try {
          await server.workspace.projects.create({ name: 'Shop' });
          const result = await server.workspace.importStoriesFromJira('Shop', { jql: 'project = SHOP' });
          expect(result.stories).toHaveLength(250);
          expect(jira.requests.filter((request) => request.path === '/rest/api/2/search')).toHaveLength(3);
          expect(jira.requests.some((request) => request.path.startsWith('/rest/api/3/'))).toBe(false);
          const story = (await server.workspace.stories.show('Shop', 'SHOP-4')).story;
          expect(story.acceptanceCriteria).toHaveLength(2);
        } finally {
          await server.dispose();
        }
      });

      it('wrong credentials: a named error with a fix, nothing imported', async () => {
        const wrong = await createConnectorWorkspace(dialect, {
          REQASE_JIRA_URL: jira.url,
          REQASE_JIRA_EMAIL: EMAIL,
          REQASE_JIRA_TOKEN: 'not-the-token-0000',
        });
        try {
          await wrong.workspace.projects.create({ name: 'Shop' });
          const error = await wrong.workspace
            .importStoriesFromJira('Shop', { jql: 'project = SHOP' })
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(ConnectorError);
          expect((error as ConnectorError).code).toBe('connector_authentication');
          expect((error as ConnectorError).fix).toMatch(/API token/);
          expect((error as ConnectorError).message).not.toContain('not-the-token-0000');
          expect((await wrong.workspace.stories.list('Shop')).total).toBe(0);
        } finally {
          await wrong.dispose();
        }
      });

      it("a JQL error shows Jira's own message", async () => {
        const error = await context.workspace
          .importStoriesFromJira('Shop', { jql: 'project SHOP' })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConnectorError);
        expect((error as ConnectorError).message).toContain('Error in the JQL Query');
      });
    },
  );
}
