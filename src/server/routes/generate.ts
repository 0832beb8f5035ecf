import { createRoute, type z } from '@hono/zod-openapi';
import { generateFromFile } from '../../app/index.ts';
import { visibleGeneration, type GenerationOutput } from '../../app/index.ts';
import { createRouter } from '../router.ts';
import type { GenerationResultSchema } from '../schemas.ts';
import type { ServerDependencies } from '../dependencies.ts';
import { errors, jsonBody } from '../openapi.ts';
import {
  AdHocGenerateBodySchema,
  AdHocGenerateResponseSchema,
  SSE_DESCRIPTION,
  countRange,
} from '../schemas.ts';
import { streamEvents, wantsEventStream, type SendEvent } from '../sse.ts';

/** A generation as the API shows it: without the audit trail (prompt and raw answer). */
export function generationResult(output: GenerationOutput): z.infer<typeof GenerationResultSchema> {
  return visibleGeneration(output);
}

const adHocRoute = createRoute({
  method: 'post',
  path: '/generate',
  operationId: 'generateTestCases',
  tags: ['generation'],
  summary: 'Generate test cases for a story given in the body (nothing is stored)',
  description: SSE_DESCRIPTION,
  request: { body: jsonBody(AdHocGenerateBodySchema) },
  responses: {
    200: {
      description: 'The generated test cases (JSON), or a stream of events (text/event-stream)',
      content: {
        'application/json': { schema: AdHocGenerateResponseSchema },
        'text/event-stream': { schema: { type: 'string' } },
      },
    },
    ...errors(422, 502, 504),
  },
});

export function generationRoutes(dependencies: ServerDependencies) {
  return createRouter().openapi(adHocRoute, async (c) => {
    const body = c.req.valid('json');
    if (body.provider?.apiKey) c.get('secrets').push(body.provider.apiKey);
    const content =
      body.content ??
      JSON.stringify({
        ...(body.story?.key ? { key: body.story.key } : {}),
        summary: body.story?.summary,
        description: body.story?.description ?? '',
        acceptanceCriteria: body.story?.acceptanceCriteria ?? [],
      });
    const count = countRange(body.count);
    const run = async (send: SendEvent | undefined, signal: AbortSignal | undefined) => {
      const result = await generateFromFile(
        {
          path: '-',
          standardInput: content,
          format: body.format ?? 'manual',
          ...(body.storyKey ? { storyKey: body.storyKey } : {}),
          ...(body.offline ? { offline: true } : {}),
          providerFlags: {
            ...(body.provider?.preset ? { provider: body.provider.preset } : {}),
            ...(body.provider?.baseUrl ? { baseUrl: body.provider.baseUrl } : {}),
            ...(body.provider?.apiKey ? { apiKey: body.provider.apiKey } : {}),
            ...(body.provider?.model ? { model: body.provider.model } : {}),
          },
          ...(body.additionalContext ? { additionalContext: body.additionalContext } : {}),
          ...(count ? { count: `${count.min}-${count.max}` } : {}),
          ...(body.kinds ? { kinds: body.kinds.join(',') } : {}),
          ...(body.priorities ? { priorities: body.priorities.join(',') } : {}),
          ...(body.language ? { language: body.language } : {}),
          ...(body.fillGaps === undefined ? {} : { fillGaps: body.fillGaps }),
          ...(body.repair === undefined ? {} : { repair: body.repair }),
          stream: send !== undefined,
          ...(signal ? { signal } : {}),
          ...(send
            ? {
                onEngine: (engine) => send('engine', engine),
                onEvent: (story, event) => {
                  if (event.kind === 'test-case-end')
                    send('test-case', { storyKey: story.key, testCase: event.testCase });
                  else if (event.kind === 'warning')
                    send('warning', { storyKey: story.key, message: event.message });
                },
              }
            : {}),
        },
        dependencies.settings,
        dependencies.generation,
      );
      return {
        engine: result.engine,
        notices: result.notices,
        results: result.outputs.map(generationResult),
      };
    };
    if (wantsEventStream(c)) return streamEvents(c, (send, signal) => run(send, signal));
    return c.json(await run(undefined, undefined), 200);
  });
}
