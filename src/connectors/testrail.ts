import type { TestCase } from '../core/model.ts';
import { createConnectorHttpClient, type ConnectorDependencies, type ConnectorHttpClient } from './http.ts';

/**
 * TestRail API v2 (`index.php?/api/v2/...`), Basic auth with the user's email and an API key.
 * TestRail Cloud allows 180 requests a minute (300 on Enterprise), answers 429 with
 * `Retry-After` past that and 409 during its daily maintenance.
 */
export interface TestRailClientOptions extends ConnectorDependencies {
  baseUrl: string;
  /** The user's email. */
  user: string;
  apiKey: string;
  /** Default: 180 (TestRail Cloud Professional). */
  requestsPerMinute?: number;
}

export interface TestRailNamedItem {
  id: number;
  name: string;
  is_default?: boolean;
  short_name?: string;
}

export interface TestRailSection {
  id: number;
  name: string;
  suite_id?: number | null;
  parent_id?: number | null;
}

export interface TestRailCase {
  id: number;
  title: string;
  section_id: number;
  refs?: string | null;
}

/** The body of `add_case` / `update_case` (fields TestRail documents for the Steps and BDD templates). */
export interface TestRailCaseBody {
  title: string;
  template_id?: number;
  type_id?: number;
  priority_id?: number;
  refs?: string;
  custom_preconds?: string;
  custom_steps_separated?: Array<{ content: string; expected: string; additional_info?: string }>;
  custom_testrail_bdd_scenario?: Array<{ content: string }>;
}

export interface TestRailClient {
  readonly http: ConnectorHttpClient;
  getTemplates(projectId: number): Promise<TestRailNamedItem[]>;
  getCaseTypes(): Promise<TestRailNamedItem[]>;
  getPriorities(): Promise<TestRailNamedItem[]>;
  /** Every section of the project (and suite), following `_links.next`. */
  getSections(projectId: number, suiteId?: number): Promise<TestRailSection[]>;
  addSection(
    projectId: number,
    section: { name: string; suite_id?: number; description?: string },
  ): Promise<TestRailSection>;
  /** Every case of a section, following `_links.next`. */
  getCases(projectId: number, filter: { sectionId: number; suiteId?: number }): Promise<TestRailCase[]>;
  addCase(sectionId: number, body: TestRailCaseBody): Promise<TestRailCase>;
  updateCase(caseId: number, body: TestRailCaseBody): Promise<TestRailCase>;
}

interface Paginated {
  _links?: { next?: string | null };
}

export function createTestRailClient(options: TestRailClientOptions): TestRailClient {
  const authorization = `Basic ${Buffer.from(`${options.user}:${options.apiKey}`).toString('base64')}`;
  const http = createConnectorHttpClient({
    ...options,
    vendor: 'TestRail',
    authorization: () => authorization,
    secrets: [options.apiKey],
    credentialHint: 'the TestRail user email and API key (My Settings → API Keys)',
    vendorMessage: (body, text) =>
      typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
        ? (body as { error: string }).error
        : text.slice(0, 300),
    requestsPerMinute: options.requestsPerMinute ?? 180,
    retryOnConflict: true,
  });
  const api = (endpoint: string) => `/index.php?/api/v2/${endpoint}`;

  async function paginate<Item>(first: string, key: string): Promise<Item[]> {
    const items: Item[] = [];
    let path: string | null = api(first);
    while (path) {
      const response: { body: Paginated & Record<string, unknown> } = await http.request({ path });
      const body = response.body;
      // Before TestRail 6.7 these endpoints answered a bare array.
      if (Array.isArray(body)) return [...items, ...(body as Item[])];
      items.push(...((body[key] as Item[] | undefined) ?? []));
      const next: string | null | undefined = body._links?.next;
      path = next ? `/index.php?/${next.replace(/^\/?(index\.php\?)?\/?/, '')}` : null;
    }
    return items;
  }

  return {
    http,
    async getTemplates(projectId) {
      return (await http.request<TestRailNamedItem[]>({ path: api(`get_templates/${projectId}`) })).body;
    },
    async getCaseTypes() {
      return (await http.request<TestRailNamedItem[]>({ path: api('get_case_types') })).body;
    },
    async getPriorities() {
      return (await http.request<TestRailNamedItem[]>({ path: api('get_priorities') })).body;
    },
    getSections(projectId, suiteId) {
      return paginate<TestRailSection>(
        `get_sections/${projectId}${suiteId === undefined ? '' : `&suite_id=${suiteId}`}`,
        'sections',
      );
    },
    async addSection(projectId, section) {
      return (
        await http.request<TestRailSection>({
          method: 'POST',
          path: api(`add_section/${projectId}`),
          body: section,
        })
      ).body;
    },
    getCases(projectId, filter) {
      const suite = filter.suiteId === undefined ? '' : `&suite_id=${filter.suiteId}`;
      return paginate<TestRailCase>(`get_cases/${projectId}${suite}&section_id=${filter.sectionId}`, 'cases');
    },
    async addCase(sectionId, body) {
      return (await http.request<TestRailCase>({ method: 'POST', path: api(`add_case/${sectionId}`), body }))
        .body;
    },
    async updateCase(caseId, body) {
      return (await http.request<TestRailCase>({ method: 'POST', path: api(`update_case/${caseId}`), body }))
        .body;
    },
  };
}

/** Ids TestRail needs for a case, looked up once per push. */
export interface TestRailLookups {
  stepsTemplateId: number | undefined;
  bddTemplateId: number | undefined;
  typeId: number | undefined;
  /** By lower-cased priority name or short name. */
  priorityIds: Map<string, number>;
  defaultPriorityId: number | undefined;
}

export function resolveTestRailLookups(
  templates: readonly TestRailNamedItem[],
  caseTypes: readonly TestRailNamedItem[],
  priorities: readonly TestRailNamedItem[],
): TestRailLookups {
  const priorityIds = new Map<string, number>();
  for (const priority of priorities) {
    priorityIds.set(priority.name.toLowerCase(), priority.id);
    if (priority.short_name) priorityIds.set(priority.short_name.toLowerCase(), priority.id);
  }
  return {
    stepsTemplateId: templates.find((template) => /steps/i.test(template.name))?.id,
    bddTemplateId: templates.find((template) => /behaviou?r|bdd|gherkin/i.test(template.name))?.id,
    typeId:
      caseTypes.find((type) => /functional/i.test(type.name))?.id ??
      caseTypes.find((type) => type.is_default)?.id,
    priorityIds,
    defaultPriorityId: priorities.find((priority) => priority.is_default)?.id,
  };
}

/**
 * A test case as TestRail's `add_case` body: steps separated (test data in `additional_info`),
 * preconditions, the story key as `refs`; BDD cases with the BDD template where the instance has
 * one, else rendered as steps.
 */
export function toTestRailCase(
  testCase: TestCase,
  storyKey: string,
  lookups: TestRailLookups,
): TestRailCaseBody {
  const priorityId = lookups.priorityIds.get(testCase.priority.toLowerCase()) ?? lookups.defaultPriorityId;
  const common: TestRailCaseBody = {
    title: testCase.title.slice(0, 250),
    refs: storyKey,
    ...(lookups.typeId === undefined ? {} : { type_id: lookups.typeId }),
    ...(priorityId === undefined ? {} : { priority_id: priorityId }),
    custom_preconds: testCase.preconditions.join('\n'),
  };
  if (testCase.gherkin && lookups.bddTemplateId !== undefined) {
    return {
      ...common,
      template_id: lookups.bddTemplateId,
      custom_testrail_bdd_scenario: [{ content: testCase.gherkin }],
    };
  }
  const steps: TestCase['steps'] =
    testCase.steps.length > 0 || !testCase.gherkin
      ? testCase.steps
      : testCase.gherkin
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => /^(Given|When|Then|And|But)\b/.test(line))
          .map((line) => ({ action: line }));
  return {
    ...common,
    ...(lookups.stepsTemplateId === undefined ? {} : { template_id: lookups.stepsTemplateId }),
    custom_steps_separated: steps.map((step) => ({
      content: step.action,
      expected: step.expected ?? '',
      ...(step.data ? { additional_info: step.data } : {}),
    })),
  };
}
