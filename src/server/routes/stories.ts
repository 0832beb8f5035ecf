/**
 * Stories: import (JSON or a file upload), list with coverage, show, generate for a stored story.
 */
import type { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { errors, json, jsonBody } from '../openapi.ts';
import { createRouter } from '../router.ts';
import type { Workspace } from '../../app/index.ts';
import { HttpError } from '../errors.ts';
import { jsonInSlices } from '../json-in-slices.ts';
import { countRange, SSE_DESCRIPTION } from '../schemas.ts';
import { streamEvents, wantsEventStream, type SendEvent } from '../sse.ts';
import {
  ImportBodySchema,
  ImportResultSchema,
  ImportUploadSchema,
  StoredGenerateBodySchema,
  StoredGenerateResultSchema,
  StoryDetailsSchema,
  StoryListSchema,
} from '../workspace-schemas.ts';
import { actorOf } from '../actor.ts';
import { generationResult } from './generate.ts';
import { PageQuery, ProjectParam, StoryParam } from './parameters.ts';

const importStoriesRoute = createRoute({
  method: 'post',
  path: '/projects/{project}/stories/import',
  operationId: 'importStories',
  tags: ['stories'],
  summary: 'Import stories (JSON with content and fileName, or a multipart file upload; up to 6 MB)',
  description:
    'Changed stories keep their criteria ids; cases covering changed or removed criteria are marked as needing review.',
  request: {
    params: ProjectParam,
    // Not `required`: with two media types, zod-openapi would then validate the body against both.
    body: {
      required: false,
      description: 'Required: JSON `{ content, fileName }` or a multipart upload with the field `file`.',
      content: {
        'application/json': { schema: ImportBodySchema },
        'multipart/form-data': { schema: ImportUploadSchema },
      },
    },
  },
  responses: {
    200: json(ImportResultSchema, 'What was created, changed or left as it was'),
    ...errors(404, 415),
  },
});

const listStoriesRoute = createRoute({
  method: 'get',
  path: '/projects/{project}/stories',
  operationId: 'listStories',
  tags: ['stories'],
  summary: 'List stories with their coverage status',
  request: { params: ProjectParam, query: PageQuery },
  responses: { 200: json(StoryListSchema, 'Stories by key'), ...errors(404) },
});

const getStoryRoute = createRoute({
  method: 'get',
  path: '/projects/{project}/stories/{key}',
  operationId: 'getStory',
  tags: ['stories'],
  summary: 'Show a story: its criteria, its test cases and which cases cover each criterion',
  request: { params: StoryParam },
  responses: { 200: json(StoryDetailsSchema, 'The story'), ...errors(404) },
});

const generateForStoryRoute = createRoute({
  method: 'post',
  path: '/projects/{project}/stories/{key}/generate',
  operationId: 'generateForStory',
  tags: ['generation'],
  summary: 'Generate test cases for a stored story and store them as drafts',
  description: SSE_DESCRIPTION,
  request: { params: StoryParam, body: jsonBody(StoredGenerateBodySchema) },
  responses: {
    200: {
      description: 'The stored test cases (JSON), or a stream of events (text/event-stream)',
      content: {
        'application/json': { schema: StoredGenerateResultSchema },
        'text/event-stream': { schema: { type: 'string' } },
      },
    },
    ...errors(404, 422, 502, 504),
  },
});

export function storyRoutes(workspace: Workspace) {
  return createRouter()
    .openapi(importStoriesRoute, async (c) => {
      const { project } = c.req.valid('param');
      const upload = await importedFile(c.req.header('content-type') ?? '', {
        form: () => c.req.valid('form') as { file?: unknown; fileName?: string },
        json: () => c.req.valid('json') as { content: string; fileName?: string } | undefined,
      });
      // A large result would hold the event loop in one JSON.stringify: written a slice at a time.
      return jsonInSlices(await workspace.stories.importStories(project, upload), 'stories');
    })

    .openapi(listStoriesRoute, async (c) => {
      const { project } = c.req.valid('param');
      const page = c.req.valid('query');
      const result = await workspace.stories.list(project, {
        limit: page.limit ?? 100,
        ...(page.offset === undefined ? {} : { offset: page.offset }),
      });
      return c.json({ stories: result.stories, total: result.total }, 200);
    })

    .openapi(getStoryRoute, async (c) => {
      const { project, key } = c.req.valid('param');
      return c.json(await workspace.stories.show(project, key), 200);
    })

    .openapi(generateForStoryRoute, async (c) => {
      const { project, key } = c.req.valid('param');
      const body = c.req.valid('json');
      const run = (send: SendEvent | undefined, signal: AbortSignal | undefined) =>
        generateForStoredStory(workspace, { project, key, body, send, signal, actor: actorOf(c) });
      if (wantsEventStream(c)) return streamEvents(c, (send, signal) => run(send, signal));
      return c.json(await run(undefined, undefined), 200);
    });
}

/** The story file of an import: a multipart upload (field `file`) or JSON `{ content, fileName }`. */
async function importedFile(
  contentType: string,
  body: {
    form: () => { file?: unknown; fileName?: string };
    json: () => { content: string; fileName?: string } | undefined;
  },
): Promise<{ content: string | Uint8Array; fileName?: string }> {
  if (contentType.toLowerCase().startsWith('multipart/form-data')) {
    const form = body.form();
    if (!(form.file instanceof File)) {
      throw new HttpError(400, 'invalid_input', 'Invalid body: file: a file upload is required.', {
        fix: 'Send the story file in the form field "file".',
      });
    }
    const content = new Uint8Array(await form.file.arrayBuffer());
    const fileName = form.fileName ?? form.file.name;
    return { content, ...(fileName ? { fileName } : {}) };
  }
  if (!/^application\/(?:[\w.+-]+\+)?json/i.test(contentType)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'An import is a JSON body or a multipart file upload.',
      {
        fix: 'Send { "content": "...", "fileName": "stories.md" } as application/json, or the file as multipart/form-data in the field "file".',
      },
    );
  }
  const json = body.json();
  if (!json?.content) {
    throw new HttpError(400, 'invalid_input', 'Invalid body: content: the file content is required.', {
      fix: 'Send { "content": "...", "fileName": "stories.md" }.',
    });
  }
  return { content: json.content, ...(json.fileName ? { fileName: json.fileName } : {}) };
}

/** Generates for a stored story, streaming each case through `send` when the client asked for events. */
async function generateForStoredStory(
  workspace: Workspace,
  request: {
    project: string;
    key: string;
    body: z.infer<typeof StoredGenerateBodySchema>;
    send: SendEvent | undefined;
    signal: AbortSignal | undefined;
    actor: string;
  },
): Promise<z.infer<typeof StoredGenerateResultSchema>> {
  const { project, key, body, send, signal, actor } = request;
  const count = countRange(body.count);

  const result = await workspace.generation.generateForStoredStory(project, key, {
    ...(body.format ? { format: body.format } : {}),
    ...(count ? { count } : {}),
    ...(body.kinds ? { kinds: body.kinds } : {}),
    ...(body.additionalContext ? { additionalContext: body.additionalContext } : {}),
    ...(body.language ? { language: body.language } : {}),
    ...(body.onlyChanged ? { onlyChanged: true } : {}),
    ...(body.provider ? { provider: body.provider } : {}),
    ...(body.model ? { model: body.model } : {}),
    ...(body.offline ? { offline: true } : {}),
    ...(body.fillGaps === undefined ? {} : { fillGaps: body.fillGaps }),
    stream: send !== undefined,
    actor,
    ...(signal ? { signal } : {}),
    ...(send
      ? {
          onEngine: (engine) => send('engine', engine),
          onEvent: (event) => {
            if (event.kind === 'test-case-end')
              send('test-case', { storyKey: key, testCase: event.testCase });
            else if (event.kind === 'warning') send('warning', { storyKey: key, message: event.message });
          },
        }
      : {}),
  });
  return {
    project: result.project,
    storyKey: result.story.key,
    engine: result.engine,
    testCases: result.testCases,
    result: result.output ? generationResult(result.output) : null,
    criteria: result.criteria,
    skipped: result.skipped,
    notices: result.notices,
  };
}
