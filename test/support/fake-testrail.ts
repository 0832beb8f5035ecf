/**
 * A fake TestRail (API v2), enough for pushing test cases.
 *
 * Written from Gurock / Idera's published TestRail API reference (support.testrail.com, "API
 * reference": Cases, Sections, Templates, Case types, Priorities; "Error handling"; "Pagination"):
 * - routes live in the query string: `GET index.php?/api/v2/get_cases/{project_id}&section_id=…`;
 * - Basic auth with the user's email and an API key; a failure is 401 `{ "error": "Authentication failed: …" }`;
 * - errors are `{ "error": "Field :section_id is not a valid section." }` with 400;
 * - `get_cases` and `get_sections` are paginated (TestRail 6.7+): `{ offset, limit, size, _links: { next, prev }, cases|sections }`,
 *   at most 250 a page, `_links.next` like `/api/v2/get_cases/1&limit=250&offset=250`;
 * - TestRail Cloud allows 180 requests a minute per instance (300 on Enterprise), answering 429 with
 *   `Retry-After` (seconds) past that, and 409 during daily maintenance.
 * `add_case` / `update_case` bodies are checked against the documented fields (zod below).
 */
import { z } from 'zod';
import { definedFields } from '../../src/shared/defined-fields.ts';
import {
  basicCredentials,
  startFakeVendorServer,
  type FakeVendorServer,
  type VendorRequest,
  type VendorResponse,
} from './fake-vendor-server.ts';

export interface FakeTestRailOptions {
  user?: string;
  apiKey?: string;
  /** Requests per minute over a sliding 60 s window; past it 429 with Retry-After. Default: 180. */
  requestsPerMinute?: number;
  /** Default: `Date.now` (the window's clock). */
  now?: () => number;
  /** The id of the one project the instance holds. Default: 1. */
  projectId?: number;
  /** Whether the instance has the BDD template. Default: true. */
  bddTemplate?: boolean;
}

export interface FakeTestRailCase {
  id: number;
  section_id: number;
  title: string;
  template_id: number;
  type_id: number;
  priority_id: number;
  refs: string | null;
  custom_preconds: string | null;
  custom_steps_separated: Array<{ content: string; expected: string; additional_info?: string }> | null;
  custom_testrail_bdd_scenario: Array<{ content: string }> | null;
  created_on: number;
  updated_on: number;
}

export interface FakeTestRail extends FakeVendorServer {
  readonly cases: Map<number, FakeTestRailCase>;
  readonly sections: Map<
    number,
    { id: number; name: string; suite_id: number; parent_id: null; description: string | null }
  >;
  /** How many `add_case` and `update_case` calls succeeded. */
  readonly counts: { addCase: number; updateCase: number; rateLimited: number };
  /** Called after each successful `add_case`, before the answer is sent. */
  onCaseAdded: ((testCase: FakeTestRailCase) => void) | undefined;
}

const PAGE_LIMIT = 250;

const StepSchema = z.object({
  content: z.string(),
  expected: z.string().optional(),
  additional_info: z.string().optional(),
});
/** The documented `add_case` fields (system fields and the Steps / BDD templates' custom fields). */
const CaseBodySchema = z
  .object({
    title: z.string().min(1).max(250),
    template_id: z.number().int().optional(),
    type_id: z.number().int().optional(),
    priority_id: z.number().int().optional(),
    estimate: z.string().optional(),
    milestone_id: z.number().int().optional(),
    refs: z.string().max(2000).optional(),
    custom_preconds: z.string().optional(),
    custom_steps_separated: z.array(StepSchema).optional(),
    custom_testrail_bdd_scenario: z.array(z.object({ content: z.string() })).optional(),
  })
  .strict();
const SectionBodySchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    suite_id: z.number().int().optional(),
    parent_id: z.number().int().optional(),
  })
  .strict();

const TEMPLATES = [
  { id: 1, name: 'Test Case (Text)', is_default: true },
  { id: 2, name: 'Test Case (Steps)', is_default: false },
  { id: 3, name: 'Exploratory Session', is_default: false },
];
const BDD_TEMPLATE = { id: 4, name: 'Behaviour Driven Development', is_default: false };
const CASE_TYPES = [
  { id: 1, name: 'Acceptance', is_default: false },
  { id: 6, name: 'Functional', is_default: false },
  { id: 7, name: 'Other', is_default: true },
];
const PRIORITIES = [
  { id: 1, name: '1 - Low', short_name: 'Low', is_default: false, priority: 1 },
  { id: 2, name: '2 - Medium', short_name: 'Medium', is_default: true, priority: 2 },
  { id: 3, name: '3 - High', short_name: 'High', is_default: false, priority: 3 },
  { id: 4, name: '4 - Critical', short_name: 'Critical', is_default: false, priority: 4 },
];
const SUITE_ID = 1;

export async function startFakeTestRail(options: FakeTestRailOptions = {}): Promise<FakeTestRail> {
  const PROJECT_ID = options.projectId ?? 1;
  const user = options.user ?? 'qa@example.com';
  const apiKey = options.apiKey ?? 'testrail-api-key-0123456789';
  const limit = options.requestsPerMinute ?? 180;
  const now = options.now ?? Date.now;
  const templates = options.bddTemplate === false ? TEMPLATES : [...TEMPLATES, BDD_TEMPLATE];
  const cases = new Map<number, FakeTestRailCase>();
  const sections: FakeTestRail['sections'] = new Map();
  const counts = { addCase: 0, updateCase: 0, rateLimited: 0 };
  const window: number[] = [];
  let nextCaseId = 1;
  let nextSectionId = 1;

  const handle = (request: VendorRequest): VendorResponse => {
    const credentials = basicCredentials(request);
    if (!credentials || credentials.user !== user || credentials.secret !== apiKey) {
      return error(401, 'Authentication failed: invalid or missing user/password or session cookie.');
    }
    const current = now();
    while (window.length > 0 && (window[0] as number) <= current - 60_000) window.shift();
    if (window.length >= limit) {
      counts.rateLimited += 1;
      const retryAfter = Math.max(1, Math.ceil(((window[0] as number) + 60_000 - current) / 1000));
      return {
        status: 429,
        headers: { 'Retry-After': String(retryAfter) },
        body: { error: 'API Rate Limit Exceeded' },
      };
    }
    window.push(current);
    if (request.path !== '/index.php' || !request.search.startsWith('/api/v2/')) {
      return error(404, 'Unknown API endpoint.');
    }
    const [route = '', ...parameterParts] = request.search.slice('/api/v2/'.length).split('&');
    const parameters = new URLSearchParams(parameterParts.join('&'));
    const [name, idText] = route.split('/');
    const id = Number(idText);
    const isPost = request.method === 'POST';
    if (isPost && request.headers['content-type']?.startsWith('application/json') !== true) {
      return error(400, 'Content-Type must be application/json.');
    }
    switch (`${request.method} ${name}`) {
      case 'GET get_templates':
        return id === PROJECT_ID
          ? ok(templates)
          : error(400, 'Field :project_id is not a valid or accessible project.');
      case 'GET get_case_types':
        return ok(CASE_TYPES);
      case 'GET get_priorities':
        return ok(PRIORITIES);
      case 'GET get_sections': {
        if (id !== PROJECT_ID) return error(400, 'Field :project_id is not a valid or accessible project.');
        return page(`get_sections/${id}`, 'sections', [...sections.values()], parameters);
      }
      case 'POST add_section': {
        if (id !== PROJECT_ID) return error(400, 'Field :project_id is not a valid or accessible project.');
        const body = SectionBodySchema.safeParse(request.body);
        if (!body.success)
          return error(
            400,
            `Field :${body.error.issues[0]?.path.join('.') || 'name'} is not valid: ${body.error.issues[0]?.message}.`,
          );
        const section = {
          id: nextSectionId++,
          name: body.data.name,
          suite_id: SUITE_ID,
          parent_id: null,
          description: body.data.description ?? null,
        };
        sections.set(section.id, section);
        return ok(section);
      }
      case 'GET get_cases': {
        if (id !== PROJECT_ID) return error(400, 'Field :project_id is not a valid or accessible project.');
        const sectionId = parameters.get('section_id');
        const all = [...cases.values()].filter(
          (testCase) => sectionId === null || testCase.section_id === Number(sectionId),
        );
        return page(
          `get_cases/${id}${sectionId === null ? '' : `&section_id=${sectionId}`}`,
          'cases',
          all,
          parameters,
        );
      }
      case 'POST add_case': {
        if (!sections.has(id)) return error(400, 'Field :section_id is not a valid section.');
        const body = CaseBodySchema.safeParse(request.body);
        if (!body.success)
          return error(
            400,
            `Field :${body.error.issues[0]?.path.join('.')} is not valid: ${body.error.issues[0]?.message}.`,
          );
        const invalid = invalidIds(body.data);
        if (invalid) return error(400, invalid);
        const testCase: FakeTestRailCase = {
          id: nextCaseId++,
          section_id: id,
          title: body.data.title,
          template_id: body.data.template_id ?? 1,
          type_id: body.data.type_id ?? 7,
          priority_id: body.data.priority_id ?? 2,
          refs: body.data.refs ?? null,
          custom_preconds: body.data.custom_preconds ?? null,
          custom_steps_separated:
            body.data.custom_steps_separated?.map((step) => ({
              ...definedFields(step),
              expected: step.expected ?? '',
            })) ?? null,
          custom_testrail_bdd_scenario: body.data.custom_testrail_bdd_scenario ?? null,
          created_on: Math.floor(current / 1000),
          updated_on: Math.floor(current / 1000),
        };
        cases.set(testCase.id, testCase);
        counts.addCase += 1;
        fake.onCaseAdded?.(testCase);
        return ok(testCase);
      }
      case 'POST update_case': {
        const existing = cases.get(id);
        if (!existing) return error(400, 'Field :case_id is not a valid test case.');
        const body = CaseBodySchema.partial().safeParse(request.body);
        if (!body.success)
          return error(
            400,
            `Field :${body.error.issues[0]?.path.join('.')} is not valid: ${body.error.issues[0]?.message}.`,
          );
        const invalid = invalidIds(body.data);
        if (invalid) return error(400, invalid);
        Object.assign(existing, body.data, { updated_on: Math.floor(current / 1000) });
        counts.updateCase += 1;
        return ok(existing);
      }
      default:
        return error(404, `Unknown method ${route}.`);
    }
  };

  function invalidIds(body: {
    template_id?: number | undefined;
    type_id?: number | undefined;
    priority_id?: number | undefined;
  }): string | undefined {
    if (body.template_id !== undefined && !templates.some((template) => template.id === body.template_id))
      return 'Field :template_id is not a valid template.';
    if (body.type_id !== undefined && !CASE_TYPES.some((type) => type.id === body.type_id))
      return 'Field :type_id is not a valid case type.';
    if (body.priority_id !== undefined && !PRIORITIES.some((priority) => priority.id === body.priority_id))
      return 'Field :priority_id is not a valid priority.';
    return undefined;
  }

  const server = await startFakeVendorServer(handle);
  const fake: FakeTestRail = Object.assign(server, { cases, sections, counts, onCaseAdded: undefined });
  return fake;
}

function ok(body: unknown): VendorResponse {
  return { status: 200, body };
}

function error(status: number, message: string): VendorResponse {
  return { status, body: { error: message } };
}

function page<Item>(
  route: string,
  key: string,
  items: readonly Item[],
  parameters: URLSearchParams,
): VendorResponse {
  const limit = Math.min(Number(parameters.get('limit') ?? PAGE_LIMIT), PAGE_LIMIT);
  const offset = Number(parameters.get('offset') ?? 0);
  const slice = items.slice(offset, offset + limit);
  const more = offset + limit < items.length;
  return ok({
    offset,
    limit,
    size: slice.length,
    _links: {
      next: more ? `/api/v2/${route}&limit=${limit}&offset=${offset + limit}` : null,
      prev: offset > 0 ? `/api/v2/${route}&limit=${limit}&offset=${Math.max(0, offset - limit)}` : null,
    },
    [key]: slice,
  });
}
