import type { Constraint } from '../constraints/index.ts';
import { storyLanguageFrom, type StoryLanguage } from '../criteria/index.ts';
import { DEFAULT_PRIORITIES, type Story, type TestCase, type TestFormat, type TestKind } from '../model.ts';
import { caseSetsFor } from './case-sets.ts';
import { outOfScopeFinder } from './out-of-scope.ts';
import { renderSet, type RenderedCase } from './render-cases.ts';
import { readStory } from './story-reading.ts';

export interface OfflineGenerationOptions {
  /** The layout of the cases: Gherkin scenarios (`bdd`), manual steps, or generic steps. */
  format: TestFormat;
  /** How many cases to return; cases beyond `max` are dropped by priority (positives first). Default: no limit. */
  count?: { min: number; max: number };
  /** Which kinds to produce. Default: all (positive, negative, boundary, edge). */
  kinds?: TestKind[];
  /** Priority labels from highest to lowest. Default: `high`, `medium`, `low`. */
  priorities?: string[];
  /**
   * The language asked for (`en`, `de`, `fr`, `es`, or a name such as `German`). The cases are
   * always in the story's own language: the engine cannot translate the story's words, and a case
   * half in one language and half in another is no use to a tester. When the story is in another
   * language, a warning says so.
   */
  language?: string;
}

export interface OfflineGenerationResult {
  testCases: TestCase[];
  /** Each acceptance criterion id with the ids of the cases that cover it. */
  coverage: Record<string, string[]>;
  /** Criteria no case covers. */
  uncovered: string[];
  /** What could not be done, in plain words. */
  warnings: string[];
  /** The constraints the cases were derived from. */
  constraints: Constraint[];
}

const LANGUAGE_NAMES: Record<StoryLanguage, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
};

/** What the asked-for language means for cases that stay in the story's language. */
function languageWarnings(asked: string | undefined, storyLanguage: StoryLanguage): string[] {
  if (!asked) return [];
  const language = storyLanguageFrom(asked);
  const written = LANGUAGE_NAMES[storyLanguage];
  if (!language) {
    return [
      `The offline engine writes English, German, French and Spanish; "${asked}" was asked for, so the cases are in the story's language (${written}). Use a model for other languages.`,
    ];
  }
  if (language === storyLanguage) return [];
  return [
    `The story is written in ${written} and the offline engine cannot translate a story's own words, so nothing was translated: the cases are in ${written}, not ${LANGUAGE_NAMES[language]} as asked. Use a model for cases in ${LANGUAGE_NAMES[language]}.`,
  ];
}

const KIND_ORDER: Record<TestKind, number> = { positive: 0, negative: 1, boundary: 2, edge: 3 };

function priorityFor(rendered: RenderedCase, priorities: readonly string[]): string {
  const last = priorities.length - 1;
  if (rendered.kind === 'positive' || rendered.important) return priorities[0]!;
  if (rendered.kind === 'edge') return priorities[last]!;
  return priorities[Math.min(1, last)]!;
}

function coverageOf(
  story: Story,
  testCases: TestCase[],
): { coverage: Record<string, string[]>; uncovered: string[] } {
  const coverage: Record<string, string[]> = {};
  for (const criterion of story.acceptanceCriteria) coverage[criterion.id] = [];
  for (const testCase of testCases) for (const id of testCase.covers) coverage[id]?.push(testCase.id);
  const uncovered = story.acceptanceCriteria
    .map((criterion) => criterion.id)
    .filter((id) => coverage[id]!.length === 0);
  return { coverage, uncovered };
}

/** Cases within the asked count, positives and security cases first; a warning says what was left out. */
function selectCases(
  ordered: RenderedCase[],
  options: OfflineGenerationOptions,
  warnings: string[],
): RenderedCase[] {
  let selected = ordered;
  if (options.count && ordered.length > options.count.max) {
    selected = ordered.slice(0, Math.max(0, options.count.max));
    warnings.push(
      `Kept ${selected.length} of ${ordered.length} test cases to respect the maximum of ${options.count.max}.`,
    );
  }
  if (options.count && selected.length < options.count.min) {
    warnings.push(
      `Only ${selected.length} test case${selected.length === 1 ? '' : 's'} could be derived from the story without inventing requirements; ${options.count.min} were asked for. Add acceptance criteria or use a model for more.`,
    );
  }
  return selected;
}

function uncoveredWarnings(
  uncovered: string[],
  wanted: RenderedCase[],
  options: OfflineGenerationOptions,
  kinds: Set<TestKind>,
): string[] {
  if (uncovered.length === 0) return [];
  const warnings: string[] = [];
  const coveredBeforeLimit = new Set(wanted.flatMap((rendered) => rendered.covers));
  const lostToLimit = uncovered.filter((id) => coveredBeforeLimit.has(id));
  const lostOtherwise = uncovered.filter((id) => !coveredBeforeLimit.has(id));
  if (lostToLimit.length > 0 && options.count) {
    warnings.push(
      `Not all criteria could be covered within the maximum of ${options.count.max} test cases: ${lostToLimit.join(', ')} left uncovered.`,
    );
  }
  if (lostOtherwise.length > 0) {
    const reason = options.kinds && !kinds.has('positive') ? ' with the kinds asked for' : '';
    warnings.push(`No test case covers ${lostOtherwise.join(', ')}${reason}.`);
  }
  return warnings;
}

/**
 * The offline rules engine: classical test design from the story alone, with no model, in the
 * story's language (English, German, French or Spanish). Deterministic and linear in the story.
 *
 * - each criterion is read into actor, actions, condition or rule, outcomes, exact messages and roles;
 * - the positive flow in concrete steps with valid data, its observable result as the outcome;
 * - one case per boundary value of every limit, each from a fresh state (a Scenario Outline in BDD);
 * - every listed value used as an input, and a value outside the list refused;
 * - a negative case for every required field, format and role (someone else tries and is refused);
 * - preconditions only from what the story says or implies; nothing about an out-of-scope item.
 *
 * @example
 * const result = generateOffline(story, { format: 'bdd', count: { min: 3, max: 12 } });
 * result.coverage // { 'AC-1': ['TC-1', 'TC-7'], … }
 */
export function generateOffline(story: Story, options: OfflineGenerationOptions): OfflineGenerationResult {
  const warnings: string[] = [];
  const priorities =
    options.priorities && options.priorities.length > 0 ? options.priorities : DEFAULT_PRIORITIES;
  const kinds = new Set<TestKind>(
    options.kinds && options.kinds.length > 0 ? options.kinds : ['positive', 'negative', 'boundary', 'edge'],
  );
  if (story.acceptanceCriteria.length === 0) {
    // A flow guessed from the summary alone ("open the form, submit it, it is saved") is not a
    // case a tester would keep: the rules engine tests what criteria promise, or writes nothing.
    warnings.push(
      'The story has no acceptance criteria, and the offline engine writes cases only for what criteria promise. Add an "Acceptance criteria" section (one item per line), or use a model, which can work from the description.',
    );
    return { testCases: [], coverage: {}, uncovered: [], warnings, constraints: [] };
  }
  const reading = readStory(story);
  warnings.push(...languageWarnings(options.language, reading.language));
  const sets = caseSetsFor(reading);
  const aboutOutOfScope = outOfScopeFinder(
    story,
    reading.fields.map((field) => field.constraint),
  );
  const rendered = sets.flatMap((set) => renderSet(set, story, options.format, reading.phrases));
  const seen = new Set<string>();
  const inScope = rendered.filter((candidate) => {
    const item = aboutOutOfScope?.(candidate.pieces());
    if (item) warnings.push(`Left out "${candidate.title}": it is about the out-of-scope item "${item}".`);
    const key = candidate.gherkin ?? JSON.stringify([candidate.preconditions, candidate.steps]);
    const duplicate = seen.has(key);
    seen.add(key);
    return !item && !duplicate;
  });
  const wanted = inScope.filter((candidate) => kinds.has(candidate.kind));
  const ordered = wanted
    .map((candidate, index) => ({ candidate, index }))
    .sort(
      (left, right) =>
        KIND_ORDER[left.candidate.kind] - KIND_ORDER[right.candidate.kind] || left.index - right.index,
    )
    .map((entry) => entry.candidate);
  const selected = selectCases(ordered, options, warnings);
  const testCases: TestCase[] = selected.map((candidate, index) => {
    return {
      id: `TC-${index + 1}`,
      title: candidate.title,
      kind: candidate.kind,
      priority: priorityFor(candidate, priorities),
      preconditions: candidate.preconditions,
      steps: candidate.steps,
      ...(candidate.gherkin !== undefined ? { gherkin: candidate.gherkin } : {}),
      covers: candidate.covers,
      engine: 'rules',
      // renderFeature writes Gherkin that parses by construction; the corpus tests parse every scenario.
      warnings: [],
    };
  });
  const { coverage, uncovered } = coverageOf(story, testCases);
  warnings.push(...uncoveredWarnings(uncovered, wanted, options, kinds));
  return {
    testCases,
    coverage,
    uncovered,
    warnings,
    constraints: reading.fields.map((field) => field.constraint),
  };
}
