/**
 * What quality scoring derives from a story alone (its constraints, their boundary values, its
 * language, each rule's story facts) and the findings of the rules that read one case at a time,
 * kept per story content. Every request reads its story afresh, so the facts are found by the
 * story's content, not by the object: rescoring a story after one of its cases changed status
 * runs the single-case rules again only for cases whose content is new.
 */
import {
  boundaryValuesFor,
  extractConstraints,
  type BoundaryValue,
  type Constraint,
} from '../constraints/index.ts';
import type { Story } from '../model.ts';
import type { QualityFinding } from './findings.ts';
import { detectLanguage, type TextLanguage } from './language.ts';

/** A finding of a single-case rule, with the rule's position in `QUALITY_RULES`. */
export interface CaseRuleFinding {
  ruleIndex: number;
  finding: QualityFinding;
}

/** The part of a context that depends on the story and the given constraints only, not on the cases. */
export interface StoryFacts {
  constraints: readonly Constraint[];
  boundaries: ReadonlyMap<Constraint, BoundaryValue[]>;
  language: TextLanguage;
  /** Each rule's story facts, by rule (`QualityContext.fromStory`). */
  derived: Map<string, unknown>;
  /** The single-case rules' findings of each case seen with this story, by the case's content (`caseKey`). */
  cases: Map<string, readonly CaseRuleFinding[]>;
  /** The story's content with the given constraints, as kept. */
  key: string;
}

/** Stories whose facts are kept, least recently used first out. */
export const MAX_STORIES_KEPT = 200;
/** Cases whose single-case findings are kept, over all kept stories. */
export const MAX_CASES_KEPT = 20_000;

let factsByContent = new Map<string, StoryFacts>();
let casesKept = 0;

/** Facts already found for an options object, while it still names the same story and constraints. */
const factsByOptions = new WeakMap<
  object,
  { story: Story; givenConstraints: readonly Constraint[] | undefined; facts: StoryFacts }
>();

function deriveFacts(
  key: string,
  story: Story,
  givenConstraints: readonly Constraint[] | undefined,
): StoryFacts {
  const constraints = givenConstraints ?? extractConstraints(story);
  const boundaries = new Map<Constraint, BoundaryValue[]>();
  for (const constraint of constraints) {
    const values = boundaryValuesFor(constraint);
    if (values.length > 0) boundaries.set(constraint, values);
  }
  const storyText = [
    story.summary,
    story.description,
    ...story.acceptanceCriteria.map((criterion) => criterion.text),
  ].join(' ');
  return {
    constraints,
    boundaries,
    language: detectLanguage(storyText),
    derived: new Map(),
    cases: new Map(),
    key,
  };
}

/**
 * The facts of `options.story` with `options.constraints` (extracted when absent): the same
 * facts for every story object of the same content.
 *
 * @example
 * storyFactsFor({ story }).constraints // the story's constraints, extracted once per story content
 */
export function storyFactsFor(options: {
  story: Story;
  constraints?: readonly Constraint[] | undefined;
}): StoryFacts {
  const known = factsByOptions.get(options);
  const key =
    known && known.story === options.story && known.givenConstraints === options.constraints
      ? known.facts.key
      : JSON.stringify([options.story, options.constraints ?? null]);
  let facts = factsByContent.get(key);
  if (facts) {
    // Most recently used last.
    factsByContent.delete(key);
    factsByContent.set(key, facts);
  } else {
    facts = known?.facts.key === key ? known.facts : deriveFacts(key, options.story, options.constraints);
    factsByContent.set(key, facts);
    casesKept += facts.cases.size;
    evict(facts);
  }
  factsByOptions.set(options, { story: options.story, givenConstraints: options.constraints, facts });
  return facts;
}

/** Drops the least recently used stories (never `keep`) until within the bounds. */
function evict(keep: StoryFacts): void {
  for (const [key, facts] of factsByContent) {
    if (factsByContent.size <= MAX_STORIES_KEPT && casesKept <= MAX_CASES_KEPT) return;
    if (facts === keep) continue;
    casesKept -= facts.cases.size;
    factsByContent.delete(key);
  }
  // One story with more cases than the bound: it starts over.
  if (casesKept > MAX_CASES_KEPT) {
    casesKept -= keep.cases.size;
    keep.cases.clear();
  }
}

/**
 * Keeps the single-case findings of a case (by its content) with its story's facts, while these
 * facts are kept.
 */
export function keepCaseFindings(facts: StoryFacts, key: string, findings: readonly CaseRuleFinding[]): void {
  if (facts.cases.has(key) || !isKept(facts)) return;
  facts.cases.set(key, findings);
  casesKept++;
  if (casesKept > MAX_CASES_KEPT) evict(facts);
}

function isKept(facts: StoryFacts): boolean {
  return factsByContent.get(facts.key) === facts;
}

/** How many stories and cases are kept now (for tests of the bounds). */
export function keptCounts(): { stories: number; cases: number } {
  return { stories: factsByContent.size, cases: casesKept };
}

/**
 * Runs `scoring` as from scratch: with no kept story or case, and leaving the kept ones as they
 * were (for tests that compare the kept path with a fresh scoring).
 *
 * @example
 * const fresh = withoutKeptFacts(() => scoreStoredCases(story, cases));
 */
export function withoutKeptFacts<Result>(scoring: () => Result): Result {
  const kept = factsByContent;
  const keptCount = casesKept;
  factsByContent = new Map();
  casesKept = 0;
  try {
    return scoring();
  } finally {
    factsByContent = kept;
    casesKept = keptCount;
  }
}

/**
 * Forgets every kept story and case, as a fresh process would start (for benchmarks that score the
 * same cases round after round, where kept findings would stand in for a new generation's work).
 */
export function forgetKeptFacts(): void {
  factsByContent = new Map();
  casesKept = 0;
}
