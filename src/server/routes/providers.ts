/**
 * Stored providers: list (keys masked), add or replace, presets, show, remove, check.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { definedFields } from '../../shared/defined-fields.ts';
import { errors, json, jsonBody } from '../openapi.ts';
import { createRouter } from '../router.ts';
import type { Workspace } from '../../app/index.ts';
import type { ServerDependencies } from '../dependencies.ts';
import { OkSchema } from '../schemas.ts';
import {
  AddedProviderSchema,
  AddProviderSchema,
  ProviderPresetSchema,
  ProviderSchema,
  ServedModelsSchema,
  withRenamedFieldsFolded,
} from '../provider-schemas.ts';
import { CheckReportSchema, CheckRequestSchema } from './check.ts';
import { NameParam } from './parameters.ts';

const listProvidersRoute = createRoute({
  method: 'get',
  path: '/providers',
  operationId: 'listProviders',
  tags: ['providers'],
  summary: 'List stored providers (keys masked)',
  responses: { 200: json(z.object({ providers: z.array(ProviderSchema) }), 'Providers'), ...errors() },
});

const saveProviderRoute = createRoute({
  method: 'post',
  path: '/providers',
  operationId: 'saveProvider',
  tags: ['providers'],
  summary: 'Add or replace a provider; the API key is stored encrypted and never returned',
  request: { body: jsonBody(AddProviderSchema) },
  responses: { 200: json(AddedProviderSchema, 'Stored'), ...errors(409) },
});

const listProviderPresetsRoute = createRoute({
  method: 'get',
  path: '/providers/presets',
  operationId: 'listProviderPresets',
  tags: ['providers'],
  summary: 'Provider presets: usual base URL, whether a key is needed, which header carries it, known quirks',
  responses: {
    200: json(z.object({ presets: z.array(ProviderPresetSchema) }), 'Presets'),
    ...errors(),
  },
});

const getProviderRoute = createRoute({
  method: 'get',
  path: '/providers/{name}',
  operationId: 'getProvider',
  tags: ['providers'],
  summary: 'Show a provider (key masked)',
  request: { params: NameParam },
  responses: { 200: json(ProviderSchema, 'The provider'), ...errors(404) },
});

const removeProviderRoute = createRoute({
  method: 'delete',
  path: '/providers/{name}',
  operationId: 'removeProvider',
  tags: ['providers'],
  summary: 'Remove a provider',
  request: { params: NameParam },
  responses: { 200: json(OkSchema, 'Removed'), ...errors(404) },
});

const checkStoredProviderRoute = createRoute({
  method: 'post',
  path: '/providers/{name}/check',
  operationId: 'checkStoredProvider',
  tags: ['providers'],
  summary: 'Check a stored provider against the OpenAI chat completions contract',
  request: {
    params: NameParam,
    body: { ...jsonBody(CheckRequestSchema.pick({ timeoutSeconds: true })), required: false },
  },
  responses: { 200: json(CheckReportSchema, 'The check report'), ...errors(404, 502, 504) },
});

const listProviderModelsRoute = createRoute({
  method: 'get',
  path: '/providers/{name}/models',
  operationId: 'listProviderModels',
  tags: ['providers'],
  summary: "The models a stored provider's endpoint lists at GET /models (asked with the stored key)",
  request: { params: NameParam },
  responses: { 200: json(ServedModelsSchema, 'The served models, by id'), ...errors(404, 502, 504) },
});

export function providerRoutes(workspace: Workspace, dependencies: ServerDependencies) {
  return createRouter()
    .openapi(listProvidersRoute, async (c) => c.json({ providers: await workspace.providers.list() }, 200))

    .openapi(saveProviderRoute, async (c) => {
      const { body, notices } = withRenamedFieldsFolded(c.req.valid('json'));
      if (body.apiKey) c.get('secrets').push(body.apiKey);
      c.get('secrets').push(...Object.values(body.extraHeaders ?? {}));
      const added = await workspace.providers.add(definedFields(body));
      return c.json({ ...added, notices: [...notices, ...added.notices] }, 200);
    })

    .openapi(listProviderPresetsRoute, (c) => c.json({ presets: workspace.providers.presets() }, 200))

    .openapi(getProviderRoute, async (c) =>
      c.json(await workspace.providers.show(c.req.valid('param').name), 200),
    )

    .openapi(removeProviderRoute, async (c) => {
      await workspace.providers.remove(c.req.valid('param').name);
      return c.json({ ok: true as const }, 200);
    })

    .openapi(checkStoredProviderRoute, async (c) => {
      const { name } = c.req.valid('param');
      const { config } = await workspace.providers.resolveProvider(name);
      if (config.apiKey) c.get('secrets').push(config.apiKey);
      c.get('secrets').push(...Object.values(config.extraHeaders));
      const body = (c.req.valid('json') ?? {}) as { timeoutSeconds?: number };
      const report = await dependencies.checkEndpoint({
        config,
        timeoutMilliseconds: Math.round((body.timeoutSeconds ?? 30) * 1000),
        signal: c.req.raw.signal,
      });
      if (report.responseMode) await workspace.providers.rememberResponseMode(name, report.responseMode);
      await workspace.providers.recordCheck(name, report);
      return c.json(report, 200);
    })

    .openapi(listProviderModelsRoute, async (c) => {
      const { name } = c.req.valid('param');
      // The key goes from here to the endpoint only; any echo of it in an error is redacted.
      const { config } = await workspace.providers.resolveProvider(name);
      if (config.apiKey) c.get('secrets').push(config.apiKey);
      c.get('secrets').push(...Object.values(config.extraHeaders));
      const models = await workspace.providers.listModels(name, {
        signal: c.req.raw.signal,
        ...(dependencies.generation.chatClient ? { chatClient: dependencies.generation.chatClient } : {}),
      });
      return c.json({ models }, 200);
    });
}
