import { createJiraClient, jqlForKeys, type JiraField, type JiraIssue } from '../../connectors/index.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { requireProject, type WorkspaceContext } from './context.ts';
import { resolveConnection } from './connections.ts';
import type { ImportStoriesResult, StoryService } from './stories.ts';

export interface JiraImportInput {
  /** A stored `jira` connection; else `REQASE_JIRA_URL`, `REQASE_JIRA_EMAIL`, `REQASE_JIRA_TOKEN`. */
  connection?: string;
  /** Which issues, as JQL. One of `jql` and `keys` is required. */
  jql?: string;
  /** Which issues, by key. */
  keys?: string[];
  /** The custom field holding acceptance criteria (`customfield_10042`). Default: found by name. */
  acceptanceCriteriaField?: string;
  /** `cloud` (REST v3, default) or `server` (Server / Data Center, REST v2). */
  deployment?: 'cloud' | 'server';
}

export interface JiraImportResult extends ImportStoriesResult {
  /** The custom field the criteria were read from, if any. */
  acceptanceCriteriaField: string | null;
  issues: number;
}

const ACCEPTANCE_CRITERIA_NAME = /acceptance\s*criteria/i;

/**
 * Imports stories from Jira by JQL or keys: every page of the search, descriptions converted from
 * ADF (Cloud) or wiki markup (Server), acceptance criteria from the custom field found by name
 * (else the description's section). A re-import goes through the story-change handling, and each
 * story keeps its issue's numeric id.
 */
export async function importStoriesFromJira(
  context: WorkspaceContext,
  stories: StoryService,
  projectName: string,
  input: JiraImportInput,
): Promise<JiraImportResult> {
  const storage = await context.storage();
  const project = await requireProject(storage, projectName);
  const jql = input.jql?.trim() || (input.keys && input.keys.length > 0 ? jqlForKeys(input.keys) : '');
  if (!jql) {
    throw new InvalidInputError('No Jira issues were named.', {
      fix: 'Give a JQL query or issue keys.',
      remedies: [
        { kind: 'change-value', field: 'jql', example: 'project = SHOP AND issuetype = Story' },
        { kind: 'change-value', field: 'keys', example: 'SHOP-1,SHOP-2' },
      ],
    });
  }
  const connection = await resolveConnection(context, 'jira', {
    connection: input.connection,
    settings: input.deployment ? { deployment: input.deployment } : {},
  });
  const jira = createJiraClient({
    ...context.connectors,
    baseUrl: connection.baseUrl,
    deployment: connection.settings.deployment ?? 'cloud',
    ...(connection.settings.user ? { email: connection.settings.user } : {}),
    token: connection.secret,
  });
  const criteriaField = input.acceptanceCriteriaField ?? findCriteriaField(await jira.listFields());
  const issues: JiraIssue[] = [];
  for await (const page of jira.searchIssues(jql, [
    'summary',
    'description',
    ...(criteriaField ? [criteriaField] : []),
  ])) {
    issues.push(...page);
  }
  if (issues.length === 0) {
    throw new InvalidInputError(`Jira found no issues for: ${jql}`, {
      fix: 'Check the JQL or the keys, and that the account may browse the project.',
    });
  }
  // The search result in the shape the Jira JSON reader takes, so a Jira import and a pasted Jira
  // export share one reader and one story-change path.
  const document = {
    issues: issues.map((issue) => ({ key: issue.key, fields: issue.fields })),
    names: criteriaField ? { [criteriaField]: 'Acceptance Criteria' } : {},
  };
  const result = await stories.importStories(project.name, {
    content: JSON.stringify(document),
    fileName: 'jira-search.json',
  });
  const issueByKey = new Map(issues.map((issue) => [issue.key, issue]));
  await storage.storyIssues.saveMany(
    result.stories.flatMap((imported) => {
      const issue = issueByKey.get(imported.key);
      return issue
        ? [
            {
              storyId: imported.story.id,
              issueId: String(issue.id),
              issueKey: issue.key,
              siteUrl: connection.baseUrl,
            },
          ]
        : [];
    }),
  );
  return { ...result, acceptanceCriteriaField: criteriaField ?? null, issues: issues.length };
}

function findCriteriaField(fields: readonly JiraField[]): string | undefined {
  return fields.find((field) => field.custom !== false && ACCEPTANCE_CRITERIA_NAME.test(field.name))?.id;
}
