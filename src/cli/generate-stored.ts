import type { GenerationEvent, StoredGenerationResult } from '../app/index.ts';
import { renderQualityLine, renderRepairs, renderTestCase } from './render-generation.ts';
import { InvalidInputError } from '../shared/errors.ts';
import { EXIT, reportError } from './run-command.ts';
import { paint, startProgress, type Terminal } from './terminal.ts';
import { printJson, printLine, runWorkspaceCommand, usageError } from './workspace-command.ts';
import { cliActor } from './case-history.ts';

/** The flags of `reqase generate --project P --story KEY`, as commander parses them in generate.ts. */
export interface GenerateStoredFlags {
  project: string;
  story?: string;
  onlyChanged?: boolean;
  format?: string;
  offline?: boolean;
  /** A stored provider's name, or a preset id. */
  provider?: string;
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  context?: string;
  count?: string;
  kinds?: string;
  language?: string;
  fillGaps?: boolean;
  json?: boolean;
}

/**
 * `reqase generate --project P --story KEY [--only-changed]`: generates for a stored story with
 * the project's default provider (or --provider / --base-url … / the environment / offline),
 * saves the cases as drafts and prints them. Sets the exit code; never throws.
 */
export async function runGenerateForStoredStory(flags: GenerateStoredFlags): Promise<void> {
  await runWorkspaceCommand(flags, async (workspace, terminal) => {
    if (!flags.story) {
      throw usageError(
        'Name the stored story to generate for.',
        `Give --story KEY (list them with \`reqase story list --project "${flags.project}"\`).`,
      );
    }
    const progress = flags.json ? undefined : startProgress('Generating test cases');
    try {
      const result = await workspace.generation.generateForStoredStory(flags.project, flags.story, {
        actor: cliActor(),
        ...(flags.format ? { format: flags.format } : {}),
        ...(flags.onlyChanged ? { onlyChanged: true } : {}),
        ...(flags.offline ? { offline: true } : {}),
        ...(flags.provider ? { provider: flags.provider } : {}),
        // The model applies to a stored provider too (a provider flag alone would not reach it).
        ...(flags.model ? { model: flags.model } : {}),
        providerFlags: {
          ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
          ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
          ...(flags.temperature === undefined ? {} : { temperature: flags.temperature }),
          ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
        },
        ...(flags.context ? { additionalContext: flags.context } : {}),
        ...(flags.count ? { count: flags.count } : {}),
        ...(flags.kinds ? { kinds: flags.kinds } : {}),
        ...(flags.language ? { language: flags.language } : {}),
        ...(flags.fillGaps === undefined ? {} : { fillGaps: flags.fillGaps }),
        onEngine: (engine) => {
          if (flags.json) return;
          progress?.stop();
          process.stderr.write(`${paint(terminal, 'dim', `Engine: ${engine.description}`)}\n`);
        },
        onEvent: (event: GenerationEvent) => {
          if (event.kind === 'warning' && !flags.json)
            progress?.update(`Generating test cases (${event.message})`);
        },
      });
      progress?.stop();
      if (flags.json) printJson(storedGenerationJson(result));
      else renderStoredGeneration(result, terminal);
      // Nothing new to generate (skipped) is done; a generation that produced nothing is not.
      if (result.skipped || result.testCases.length > 0) return EXIT.ok;
      return reportError(
        new InvalidInputError(
          `No test cases were produced for ${result.story.key}${result.story.acceptanceCriteria.length === 0 ? ': the story has no acceptance criteria to derive them from' : ''}.`,
          {
            fix:
              result.story.acceptanceCriteria.length === 0
                ? 'Give the story acceptance criteria (import it again with an "Acceptance Criteria" section), then run the command again.'
                : 'Read the warnings above; try another model or --offline.',
          },
        ),
      );
    } finally {
      progress?.stop();
    }
  });
}

/** The `--json` document: the stored cases (with their ids and numbers), the generation without its audit payload. */
export function storedGenerationJson(result: StoredGenerationResult): Record<string, unknown> {
  const {
    prompt: _prompt,
    rawAnswer: _rawAnswer,
    ...generation
  } = result.generation ?? { prompt: null, rawAnswer: null };
  return {
    project: result.project,
    story: { key: result.story.key, summary: result.story.summary },
    engine: result.engine,
    generation: result.generation ? generation : null,
    criteria: result.criteria,
    testCases: result.testCases,
    coverage: result.output?.coverage ?? {},
    uncovered: result.output?.uncovered ?? [],
    warnings: result.output?.warnings ?? [],
    quality: result.output?.quality ?? null,
    repairs: result.output?.repairs ?? [],
    skipped: result.skipped,
    notices: result.notices,
  };
}

function renderStoredGeneration(result: StoredGenerationResult, terminal: Terminal): void {
  for (const notice of result.notices) process.stderr.write(`${paint(terminal, 'dim', `Note: ${notice}`)}\n`);
  printLine(paint(terminal, 'cyan', `${result.story.key}: ${result.story.summary}`));
  if (result.skipped) return printLine(result.skipped);
  if (result.criteria.length < result.story.acceptanceCriteria.length) {
    printLine(paint(terminal, 'dim', `Only for ${result.criteria.join(', ')} (new or changed)`));
  }
  printLine();
  for (const testCase of result.testCases) {
    printLine(renderTestCase({ ...testCase, id: testCase.displayId }, terminal));
    printLine();
  }
  for (const warning of result.output?.warnings ?? [])
    printLine(`${paint(terminal, 'yellow', 'Warning:')} ${warning}`);
  if (result.output?.uncovered.length)
    printLine(paint(terminal, 'red', `Not covered: ${result.output.uncovered.join(', ')}`));
  if (result.output) {
    for (const line of renderRepairs(result.output.repairs, terminal)) printLine(line);
    printLine(renderQualityLine(result.output.quality, terminal));
  }
  const usage = result.output?.usage ? `, ${result.output.usage.totalTokens} tokens` : '';
  printLine(
    paint(
      terminal,
      'dim',
      `${result.testCases.length} draft test case(s) saved to ${result.project}${usage}. Review them with \`reqase case list --project "${result.project}" --story ${result.story.key}\`.`,
    ),
  );
}
