/**
 * Pins what one generation produces for the example and corpus stories: the prompt sent, the
 * cases (with the findings copied into their warnings), every score and finding, the coverage and
 * the warnings, offline and from a model answer (with the repair and gap-filling round, and with
 * each case linted as it arrives). Work that makes the pipeline cheaper must leave all of it
 * byte-identical; the snapshot file is the record of the output before such work.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateForStory } from '../../src/app/generation.ts';
import {
  generateTestCases,
  type CompletionRequest,
  type LanguageModel,
  type Story,
  type TestFormat,
} from '../../src/core/index.ts';
import { parseStoryText } from '../../src/formats/index.ts';
import { modelAnswerFor } from '../support/model-answer.ts';

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const FORMATS: readonly TestFormat[] = ['manual', 'bdd'];

function storiesIn(folder: string, extensions: readonly string[]): Story[] {
  return readdirSync(folder)
    .filter((name) => extensions.some((extension) => name.endsWith(extension)))
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      const parsed = parseStoryText(readFileSync(path), { fileName: path });
      if (!parsed.ok) throw parsed.error;
      return parsed.value;
    });
}

const stories = [
  ...storiesIn('examples/stories', ['.md', '.json']),
  ...storiesIn('test/quality-corpus/stories', ['.md']),
];

/**
 * Answers the first request with `text`, and a follow-up with the same cases, each titled
 * `[TC-n] …` as a rewrite of case n; keeps what it was asked.
 */
function echoingModel(text: string): LanguageModel & { requests: CompletionRequest[] } {
  const requests: CompletionRequest[] = [];
  const { testCases } = JSON.parse(text) as { testCases: Array<{ title: string }> };
  const rewrites = JSON.stringify({
    testCases: testCases.map((testCase, index) => ({
      ...testCase,
      title: `[TC-${index + 1}] ${testCase.title}`,
    })),
  });
  return {
    requests,
    async complete(request) {
      requests.push(request);
      return {
        text: requests.length === 1 ? text : rewrites,
        finishReason: 'stop',
        truncated: false,
        usage: { promptTokens: 100, completionTokens: 50, totalTokens: 150, estimated: false },
        latencyMilliseconds: 1,
        model: 'pinned',
        warnings: [],
      };
    },
  };
}

describe('output of a generation, pinned', () => {
  it('reads every story', () => {
    expect(stories.length).toBeGreaterThanOrEqual(20);
  });

  for (const story of stories) {
    for (const format of FORMATS) {
      it(`${story.key} (${format})`, async () => {
        const offline = await generateForStory({
          story,
          format,
          engine: { kind: 'rules', reason: 'requested' },
        });
        const model = echoingModel(modelAnswerFor(story, format));
        const streamed: unknown[] = [];
        const fromModel = await generateTestCases({
          story,
          format,
          model,
          responseMode: 'json_schema',
          fillGaps: true,
          repair: true,
          stream: false,
          onEvent: (event) => {
            if (event.kind === 'test-case-end')
              streamed.push({ id: event.testCase.id, warnings: event.testCase.warnings });
            if (event.kind === 'warning') streamed.push(event.message);
          },
          now: () => 0,
        });
        const { messages, rawAnswer: _rawAnswer, testCases, ...result } = fromModel;
        const pinned = {
          // The offline engine's own cases are pinned by its tests; here what the quality rules add.
          offline: {
            quality: offline.quality,
            warnings: offline.warnings,
            coverage: offline.coverage,
            caseWarnings: offline.testCases.map(({ id, warnings }) => ({ id, warnings })),
          },
          model: {
            // The prompts as digests: the texts are long, and the prompt tests read them.
            requests: model.requests.map(({ messages, responseFormat }) =>
              digest({ messages, responseFormat }),
            ),
            firstMessages: digest(messages),
            // The cases (what is stored) as a digest, their warnings (the findings) in full.
            testCases: digest(testCases),
            caseWarnings: testCases.map(({ id, warnings }) => ({ id, warnings })),
            result,
            streamed,
          },
        };
        await expect(`${JSON.stringify(pinned, null, 1)}\n`).toMatchFileSnapshot(
          `./__snapshots__/pinned-output/${story.key}-${format}.json`,
        );
      });
    }
  }
});
