import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { generateFromFile } from '../app/generate-from-file.ts';
import { resolveSettings } from '../app/settings.ts';
import {
  renderGeneration,
  renderGenerationSummary,
  renderStoryHeader,
  renderTestCase,
  generationJson,
} from './render-generation.ts';
import { EXIT, runCommand } from './run-command.ts';
import { detectTerminal, paint, startProgress } from './terminal.ts';

interface GenerateFlags {
  format: 'bdd' | 'manual' | 'generic';
  offline?: boolean;
  provider?: string;
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  rules?: string;
  context?: string;
  count?: string;
  kinds?: string;
  priorities?: string;
  language?: string;
  story?: string;
  fillGaps: boolean;
  stream?: boolean;
  json?: boolean;
  out?: string;
}

async function readStandardInput(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `reqase generate <story-file|->`: test cases for the stories in a file, with a model or offline. */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description(
      'Generate test cases for the user stories in a file (Markdown, JSON, Jira JSON, CSV, .feature, text)',
    )
    .argument('<story-file>', 'the story file, or - to read standard input')
    .addOption(
      new Option('-f, --format <format>', 'layout of the test cases')
        .choices(['bdd', 'manual', 'generic'])
        .default('manual'),
    )
    .option('--offline', 'use the offline rules engine even when a model is configured')
    .option(
      '--provider <name>',
      'a provider preset: openai, litellm, localai, vllm, fastchat, ollama, lmstudio, openrouter, groq, azure-openai',
    )
    .option('--base-url <url>', 'base URL of an OpenAI-compatible endpoint (env REQASE_BASE_URL)')
    .option('--api-key <key>', 'API key sent as Authorization: Bearer (env REQASE_API_KEY)')
    .option('--model <name>', 'model name as the endpoint knows it (env REQASE_MODEL)')
    .option('--rules <file>', "a file with your team's test case rules (naming, structure, terminology)")
    .option('--context <text>', 'additional context for this generation')
    .option('--count <n|min-max>', 'how many test cases, e.g. 8 or 5-12')
    .option('--kinds <list>', 'which kinds: positive,negative,boundary,edge')
    .option('--priorities <list>', 'priority labels, highest first (default high,medium,low)')
    .option('--language <language>', 'language of the test cases (default: the story’s)')
    .option('--story <key>', 'only the story with this key, when the file holds several')
    .option('--no-fill-gaps', 'do not ask again for acceptance criteria left uncovered')
    .option('--stream', 'stream the answer and show each test case as it completes (default on a terminal)')
    .option('--no-stream', 'wait for the whole answer')
    .option('--json', 'print JSON instead of the readable listing')
    .option('--out <file>', 'also write the result to this file (JSON when it ends in .json)')
    .action(async (storyFile: string, flags: GenerateFlags) => {
      await runCommand(async () => {
        const settings = resolveSettings();
        const terminal = detectTerminal();
        const live = !flags.json && terminal.interactive;
        const progress = flags.json ? undefined : startProgress('Generating test cases');
        let headerShown = new Set<string>();
        try {
          const result = await generateFromFile(
            {
              path: storyFile,
              ...(storyFile === '-' ? { standardInput: await readStandardInput() } : {}),
              format: flags.format,
              ...(flags.offline ? { offline: true } : {}),
              providerFlags: {
                ...(flags.provider ? { provider: flags.provider } : {}),
                ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
                ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
                ...(flags.model ? { model: flags.model } : {}),
              },
              ...(flags.rules ? { rulesFile: flags.rules } : {}),
              ...(flags.context ? { additionalContext: flags.context } : {}),
              ...(flags.count ? { count: flags.count } : {}),
              ...(flags.kinds ? { kinds: flags.kinds } : {}),
              ...(flags.priorities ? { priorities: flags.priorities } : {}),
              ...(flags.language ? { language: flags.language } : {}),
              ...(flags.story ? { storyKey: flags.story } : {}),
              fillGaps: flags.fillGaps,
              stream: flags.stream ?? live,
              onEngine: (engine) => {
                if (flags.json) return;
                progress?.stop();
                process.stderr.write(`${paint(terminal, 'dim', `Engine: ${engine.description}`)}\n`);
              },
              onEvent: (story, event) => {
                if (!live || event.kind !== 'test-case-end') return;
                progress?.stop();
                if (!headerShown.has(story.key)) {
                  headerShown = new Set([...headerShown, story.key]);
                  process.stdout.write(`${renderStoryHeader({ story }, terminal)}\n\n`);
                }
                process.stdout.write(`${renderTestCase(event.testCase, terminal)}\n\n`);
              },
            },
            settings,
          );
          progress?.stop();
          for (const notice of result.notices)
            process.stderr.write(`${paint(terminal, 'dim', `Note: ${notice}`)}\n`);

          const documents = result.outputs.map(generationJson);
          const json = JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2);
          if (flags.json) {
            process.stdout.write(`${json}\n`);
          } else {
            for (const output of result.outputs) {
              if (headerShown.has(output.story.key)) {
                process.stdout.write(`${renderGenerationSummary(output, terminal)}\n\n`);
              } else {
                process.stdout.write(`${renderGeneration(output, terminal)}\n\n`);
              }
            }
          }
          if (flags.out) {
            const content = flags.out.endsWith('.json')
              ? `${json}\n`
              : result.outputs.map((output) => renderGeneration(output, { color: false })).join('\n\n') +
                '\n';
            writeFileSync(resolve(settings.cwd, flags.out), content);
            if (!flags.json) process.stderr.write(`Written to ${flags.out}\n`);
          }
          return EXIT.ok;
        } finally {
          progress?.stop();
        }
      });
    });
}
