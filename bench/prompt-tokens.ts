/**
 * prompt-tokens: the stories of one project (examples/stories/ and examples/backlog.csv, with the
 * rules of examples/team-rules.md) generated through the real pipeline against the fake endpoint,
 * acting as a provider with automatic prefix caching. Reports the prompt and answer tokens per
 * story, the share of each story's prompt that is byte-identical across all of them (the longest
 * common start of the rendered first requests, which a prefix cache can reuse), and the share of
 * prompt tokens the endpoint reported as cached (`usage.prompt_tokens_details.cached_tokens`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateForStory } from '../src/app/generation.ts';
import type { Story } from '../src/core/index.ts';
import { parseStoryText } from '../src/formats/index.ts';
import { ProviderConfigSchema } from '../src/llm/index.ts';
import {
  commonPrefixLength,
  startFakeLlmEndpoint,
  type ChatCompletionRequestBody,
} from '../test/support/fake-llm-endpoint.ts';
import { modelAnswerFor } from './overhead.ts';
import { median, type Figure } from './support.ts';

const root = join(import.meta.dirname, '..');

function projectStories(): Story[] {
  const files = [
    ...readdirSync(join(root, 'examples', 'stories')).map((name) => join('examples', 'stories', name)),
    join('examples', 'backlog.csv'),
  ];
  return files.flatMap((file) => {
    const parsed = parseStoryText(readFileSync(join(root, file)), { fileName: file });
    if (!parsed.ok) throw parsed.error;
    return parsed.value;
  });
}

/** A request's messages as one text, in order: what a prefix cache compares. */
function rendered(body: unknown): string {
  const messages = (body as ChatCompletionRequestBody).messages ?? [];
  return messages
    .map(
      (message) => `${message.role ?? ''}\n${typeof message.content === 'string' ? message.content : ''}\n`,
    )
    .join('');
}

export async function benchmarkPromptTokens(): Promise<Figure[]> {
  const stories = projectStories();
  const answers = new Map(stories.map((story) => [story.key, modelAnswerFor(story)]));
  const endpoint = await startFakeLlmEndpoint({
    promptCache: true,
    scenario: {
      default: ({ request }) => {
        const user = String(request.messages?.at(-1)?.content ?? '');
        const key = [...answers.keys()].find((each) => user.includes(`Key: ${each}\n`));
        return { kind: 'answer', text: answers.get(key ?? '') ?? '{"testCases":[]}' };
      },
    },
  });
  try {
    const provider = ProviderConfigSchema.parse({
      name: 'bench',
      baseUrl: endpoint.url,
      model: 'fake-model',
      apiKey: 'sk-bench-0000000000000000',
      maxTokens: 8000,
    });
    const projectRules = readFileSync(join(root, 'examples', 'team-rules.md'), 'utf8');
    const usages = [];
    const firstPrompts: string[] = [];
    for (const story of stories) {
      const before = endpoint.completionRequests().length;
      const output = await generateForStory({
        story,
        format: 'manual',
        projectRules,
        engine: { kind: 'llm', provider, responseMode: 'json_schema' },
      });
      if (!output.usage) throw new Error(`no usage for ${story.key}`);
      usages.push(output.usage);
      firstPrompts.push(rendered(endpoint.completionRequests()[before]?.body));
    }
    const common = Math.min(
      ...firstPrompts.slice(1).map((prompt) => commonPrefixLength(firstPrompts[0] ?? '', prompt)),
    );
    const identicalShares = firstPrompts.map((prompt) => (100 * common) / prompt.length);
    const promptTokens = usages.reduce((sum, usage) => sum + usage.promptTokens, 0);
    const cachedTokens = usages.reduce((sum, usage) => sum + (usage.cachedTokens ?? 0), 0);
    const note = `${stories.length} stories of one project (examples/), manual format, with team rules`;
    return [
      {
        benchmark: 'prompt-tokens',
        metric: 'prompt tokens per story, median',
        value: median(usages.map((usage) => usage.promptTokens)),
        unit: 'tokens',
        note: `${note}; every request of the generation (follow-ups included), 4 characters a token`,
      },
      {
        benchmark: 'prompt-tokens',
        metric: 'answer tokens per story, median',
        value: median(usages.map((usage) => usage.completionTokens)),
        unit: 'tokens',
      },
      {
        benchmark: 'prompt-tokens',
        metric: "share of a story's first prompt identical across the project's stories, median",
        value: median(identicalShares),
        unit: '%',
        note: `the common start is ${common} characters (system layer, answer format, project rules, options)`,
      },
      {
        benchmark: 'prompt-tokens',
        metric: 'prompt tokens reported cached (prefix cache of the fake endpoint)',
        value: (100 * cachedTokens) / promptTokens,
        unit: '%',
        note: 'usage.prompt_tokens_details.cached_tokens over prompt_tokens, all stories',
      },
    ];
  } finally {
    await endpoint.close();
  }
}
