/**
 * Quality routes: score existing test cases against their stories, compare engines on the same
 * stories, and a project's quality summary. Each calls one app function.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  ComparisonSchema,
  TokenPriceSchema,
  compareEngines,
  enginesToCompare,
  providerLookup,
} from '../../app/index.ts';
import { QualityReportSchema, readCasesToScore, scoreStoredProject, scoreStories } from '../../app/index.ts';
import type { Workspace } from '../../app/index.ts';
import { TestFormatSchema, type Story } from '../../app/index.ts';
import { parseStoryText } from '../../app/index.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { createRouter } from '../router.ts';
import type { ServerDependencies } from '../dependencies.ts';
import { errors, json, jsonBody } from '../openapi.ts';

const QualityReportWireSchema = z.object(QualityReportSchema.shape).openapi('QualityReport');
const ProjectQualityWireSchema = z
  .object({ ...QualityReportSchema.shape, project: z.string() })
  .openapi('ProjectQuality');
const ComparisonWireSchema = z.object(ComparisonSchema.shape).openapi('Comparison');

const ScoreBodySchema = z
  .object({
    cases: z.unknown().openapi({
      description:
        'The cases to score: the JSON of `reqase generate --json` (one or an array), of `reqase export --to json`, or an array of cases (`{ title, kind?, steps, covers, storyKey? }`).',
    }),
    stories: z.string().min(1).max(1_000_000).optional().openapi({
      description:
        'Story text in any supported format (Markdown, JSON, Jira JSON, CSV, .feature, text); required for bare cases, otherwise replaces the stories inside `cases` by key.',
    }),
  })
  .openapi('ScoreRequest');

const CompareBodySchema = z
  .object({
    stories: z.string().min(1).max(1_000_000).openapi({ description: 'Story text in any supported format.' }),
    providers: z
      .array(z.string().min(1).max(300))
      .max(10)
      .default([])
      .openapi({ description: 'Stored providers or presets, `NAME` or `NAME:MODEL`.' }),
    offline: z.boolean().optional().openapi({ description: 'Include the offline rules engine.' }),
    format: TestFormatSchema.optional(),
    prices: z
      .record(z.string(), TokenPriceSchema)
      .optional()
      .openapi({ description: 'US dollars per million input and output tokens, by provider name.' }),
  })
  .openapi('CompareRequest');

function storiesFrom(text: string | undefined): Story[] {
  if (text === undefined) return [];
  const parsed = parseStoryText(text);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

const scoreTestCasesRoute = createRoute({
  method: 'post',
  path: '/score',
  operationId: 'scoreTestCases',
  tags: ['quality'],
  summary: 'Score existing test cases against their stories (per case, per story, overall)',
  request: { body: jsonBody(ScoreBodySchema) },
  responses: { 200: json(QualityReportWireSchema, 'The scores and findings'), ...errors(422) },
});

const compareEnginesRoute = createRoute({
  method: 'post',
  path: '/compare',
  operationId: 'compareEngines',
  tags: ['quality'],
  summary:
    'Run the same stories through several providers and the offline engine: quality, coverage, negative and boundary cases, duplicates, findings, latency, tokens, cost',
  request: { body: jsonBody(CompareBodySchema) },
  responses: { 200: json(ComparisonWireSchema, 'One row per engine'), ...errors(404, 422, 502, 504) },
});

const getProjectQualityRoute = createRoute({
  method: 'get',
  path: '/projects/{project}/quality',
  operationId: 'getProjectQuality',
  tags: ['quality'],
  summary: 'The quality summary of a project: its score, each story’s and each case’s, with the findings',
  request: { params: z.object({ project: z.string().min(1).max(200) }) },
  responses: { 200: json(ProjectQualityWireSchema, 'The project’s quality'), ...errors(404) },
});

/** Scoring and comparing; `workspace` (when served) lets a comparison name stored providers. */
export function qualityRoutes(options: { dependencies: ServerDependencies; workspace?: Workspace }) {
  const { dependencies, workspace } = options;
  return createRouter()
    .openapi(scoreTestCasesRoute, async (c) => {
      const body = c.req.valid('json');
      const entries = readCasesToScore(
        JSON.stringify(body.cases ?? null),
        storiesFrom(body.stories),
        'The body’s cases',
      );
      return c.json(scoreStories(entries), 200);
    })
    .openapi(compareEnginesRoute, async (c) => {
      const body = c.req.valid('json');
      const lookup = providerLookup(async (name) => {
        if (!workspace) return undefined;
        try {
          return (await workspace.providers.resolveProvider(name)).config;
        } catch (error) {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        }
      }, dependencies.settings);
      const engines = await enginesToCompare(
        {
          providers: body.providers,
          offline: body.offline === true,
          prices: Object.entries(body.prices ?? {}).map(
            ([name, price]) =>
              `${name}=${price.input}/${price.output}${price.cached === undefined ? '' : `/${price.cached}`}`,
          ),
        },
        lookup,
      );
      for (const engine of engines)
        if (engine.engine.kind === 'llm' && engine.engine.provider.apiKey)
          c.get('secrets').push(engine.engine.provider.apiKey);
      const comparison = await compareEngines(
        {
          stories: storiesFrom(body.stories),
          engines,
          format: body.format ?? 'manual',
          signal: c.req.raw.signal,
        },
        dependencies.generation,
      );
      return c.json(comparison, 200);
    });
}

/** The quality of a stored project (served with the workspace only). */
export function projectQualityRoutes(workspace: Workspace) {
  return createRouter().openapi(getProjectQualityRoute, async (c) =>
    c.json(await scoreStoredProject(workspace, c.req.valid('param').project), 200),
  );
}
