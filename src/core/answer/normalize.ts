import {
  DEFAULT_PRIORITIES,
  TestCaseSchema,
  TestKindSchema,
  type Story,
  type TestCase,
  type TestFormat,
  type TestKind,
} from '../model.ts';
import { inferCovers, normalizeCovers } from './covers.ts';
import { gherkinToSteps, looksLikeGherkin } from './gherkin-text.ts';
import { ALIASES, asList, asText, pick, stripBullet } from './loose-fields.ts';
import { normalizeKey } from './json-text.ts';

export interface NormalizeContext {
  format: TestFormat;
  story: Story;
  /** The project's priority labels; defaults to high / medium / low. */
  priorities?: readonly string[];
}

export function mapKind(value: unknown): TestKind | undefined {
  const text = asText(value)?.toLowerCase();
  if (!text) return undefined;
  if (/negati[vf]|invalid|error|fail|unhappy|sad path|reject|security|ungültig|fehler|inválid/.test(text))
    return 'negative';
  if (/boundary|limit|bva|min(imum)?\b|max(imum)?\b|grenzwert|límite|valeur limite|fronteira/.test(text))
    return 'boundary';
  if (/edge|corner|exception|unusual|randfall|cas limite|caso extremo/.test(text)) return 'edge';
  if (/positi[vf]|happy|valid|functional|smoke|success|main|regression|acceptance|gültig|válid/.test(text))
    return 'positive';
  return undefined;
}

function inferKind(title: string): TestKind {
  const lowered = title.toLowerCase();
  if (
    /\b(invalid|wrong|incorrect|fails?|error|reject|denied|cannot|can't|not allowed|unauthori[sz]ed|missing|empty)\b/.test(
      lowered,
    )
  )
    return 'negative';
  if (/\b(boundary|limit|maximum|minimum|max|min|exactly|just (above|below))\b/.test(lowered))
    return 'boundary';
  return 'positive';
}

const DEFAULT_PRIORITY_MAP: Record<string, string> = {
  critical: 'high',
  blocker: 'high',
  highest: 'high',
  urgent: 'high',
  p0: 'high',
  p1: 'high',
  major: 'medium',
  normal: 'medium',
  moderate: 'medium',
  p2: 'medium',
  minor: 'low',
  trivial: 'low',
  lowest: 'low',
  p3: 'low',
  p4: 'low',
  // Priority words of answers written in the story's language.
  hoch: 'high',
  haute: 'high',
  élevée: 'high',
  alta: 'high',
  mittel: 'medium',
  moyenne: 'medium',
  media: 'medium',
  média: 'medium',
  niedrig: 'low',
  basse: 'low',
  faible: 'low',
  baja: 'low',
  baixa: 'low',
};

function mapPriority(value: unknown, priorities: readonly string[]): string {
  const text = asText(value)?.trim();
  const fallback = priorities.includes('medium')
    ? 'medium'
    : (priorities[Math.floor(priorities.length / 2)] ?? 'medium');
  if (!text) return fallback;
  const exact = priorities.find((priority) => priority.toLowerCase() === text.toLowerCase());
  if (exact) return exact;
  const mapped = DEFAULT_PRIORITY_MAP[text.toLowerCase()] ?? DEFAULT_PRIORITY_MAP[normalizeKey(text)];
  if (mapped && priorities.includes(mapped)) return mapped;
  const contained = priorities.find((priority) => text.toLowerCase().includes(priority.toLowerCase()));
  return contained ?? text;
}

interface LooseStep {
  action: string;
  data?: string;
  expected?: string;
}

function toStep(value: unknown): LooseStep | undefined {
  if (typeof value === 'string') {
    const text = stripBullet(value);
    if (!text) return undefined;
    // "Enter the password -> Expected: error shown" and "… | Expected: …" on one line.
    const split = /\s*(?:->|=>|→|\|)?\s*expected(?:\s+result)?\s*[:-]\s*/i.exec(text);
    if (split && split.index > 0) {
      return {
        action: text.slice(0, split.index).trim(),
        expected: text.slice(split.index + split[0].length).trim(),
      };
    }
    return { action: text };
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const action = asText(pick(record, ALIASES.stepAction));
    const data = asText(pick(record, ALIASES.data));
    const expected = asText(pick(record, ALIASES.expected));
    if (!action && !expected) return undefined;
    return {
      action: action ? stripBullet(action) : 'Observe the result',
      ...(data ? { data } : {}),
      ...(expected ? { expected } : {}),
    };
  }
  return undefined;
}

/** The steps read from each value, in order (a value that is no step gives none). */
function stepsFrom(values: readonly unknown[]): LooseStep[] {
  const steps: LooseStep[] = [];
  for (const value of values) {
    const step = toStep(value);
    if (step) steps.push(step);
  }
  return steps;
}

function toSteps(value: unknown): LooseStep[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return stepsFrom(value.split(/\n+/));
  if (Array.isArray(value)) return stepsFrom(value);
  // { "1": "Open", "2": "Enter" } or { "step1": {...} }
  if (typeof value === 'object') return stepsFrom(Object.values(value as Record<string, unknown>));
  return [];
}

function withoutEmptyFields(step: LooseStep): LooseStep {
  return {
    action: step.action,
    ...(step.data ? { data: step.data } : {}),
    ...(step.expected ? { expected: step.expected } : {}),
  };
}

export type NormalizeResult = { ok: true; testCase: TestCase } | { ok: false; issues: string[] };

/**
 * Turns one item of a model's answer, in whatever shape and naming, into a domain `TestCase`
 * validated against `TestCaseSchema`. `position` (1-based) gives the id `TC-<position>`.
 */
export function normalizeTestCase(
  value: unknown,
  position: number,
  context: NormalizeContext,
): NormalizeResult {
  const priorities = context.priorities?.length ? context.priorities : DEFAULT_PRIORITIES;
  let record: Record<string, unknown>;
  if (typeof value === 'string' && looksLikeGherkin(value)) record = { gherkin: value };
  else if (value && typeof value === 'object' && !Array.isArray(value))
    record = value as Record<string, unknown>;
  else return { ok: false, issues: [`item ${position} is ${describeValue(value)}, not a test case object`] };

  const warnings: string[] = [];
  const gherkin = gherkinOf(record);
  const title = titleOf(record, gherkin);
  const { preconditions, steps } = bodyOf(record, gherkin);
  const kind = kindOf(record, title, warnings);
  const covers = coversOf(record, context, warnings, { title, preconditions, steps, gherkin });

  const candidate = {
    id: `TC-${position}`,
    title,
    kind,
    priority: mapPriority(pick(record, ALIASES.priority), priorities),
    preconditions,
    steps: steps.map(withoutEmptyFields),
    ...(gherkin ? { gherkin } : {}),
    covers,
    engine: 'llm' as const,
    warnings,
  };
  if (!title) return { ok: false, issues: [`item ${position} has no title or name`] };
  if (candidate.steps.length === 0 && !gherkin) {
    return { ok: false, issues: [`item ${position} ("${title}") has neither steps nor Gherkin`] };
  }
  // The usual case holds exactly what the schema asks for: its parse would return an equal copy.
  if (meetsTestCaseSchema(candidate)) return { ok: true, testCase: candidate };
  const parsed = TestCaseSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map(
        (issue) => `item ${position}: ${issue.path.join('.')} ${issue.message}`,
      ),
    };
  }
  return { ok: true, testCase: parsed.data };
}

const SCENARIO_ALIASES = ['scenario'];
/** Test data given for the whole case rather than a step. */
const CASE_DATA_ALIASES = ['testdata', 'inputdata', 'inputs'];

const TEST_KINDS: ReadonlySet<string> = new Set(TestKindSchema.options);

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function isStringList(value: readonly unknown[]): boolean {
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/**
 * Whether a candidate made by `normalizeTestCase` meets `TestCaseSchema` as it is (every field
 * present with its type, no empty id, title, priority or action), so that the schema's parse
 * would return an equal copy; a candidate that does not is left to the schema for its issues.
 * `normalize.test.ts` holds the two to the same verdict.
 */
export function meetsTestCaseSchema(candidate: {
  id: unknown;
  title: unknown;
  kind: unknown;
  priority: unknown;
  preconditions: readonly unknown[];
  steps: ReadonlyArray<{ action: unknown; data?: unknown; expected?: unknown }>;
  gherkin?: unknown;
  covers: readonly unknown[];
  engine: unknown;
  warnings: readonly unknown[];
}): candidate is TestCase {
  if (!nonEmpty(candidate.id) || !nonEmpty(candidate.title) || !nonEmpty(candidate.priority)) return false;
  if (typeof candidate.kind !== 'string' || !TEST_KINDS.has(candidate.kind)) return false;
  if (candidate.engine !== 'llm' && candidate.engine !== 'rules') return false;
  if ('gherkin' in candidate && typeof candidate.gherkin !== 'string') return false;
  for (const step of candidate.steps) {
    if (!nonEmpty(step.action)) return false;
    if ('data' in step && typeof step.data !== 'string') return false;
    if ('expected' in step && typeof step.expected !== 'string') return false;
  }
  return (
    isStringList(candidate.preconditions) &&
    isStringList(candidate.covers) &&
    isStringList(candidate.warnings)
  );
}

/**
 * The case's Gherkin: under a Gherkin key anything Gherkin-like is kept (and repaired later);
 * under `scenario`, only text that reads as Gherkin (otherwise it is the scenario's name).
 */
function gherkinTextOf(value: unknown): string | undefined {
  return Array.isArray(value) ? value.map(String).join('\n') : asText(value);
}

function gherkinOf(record: Record<string, unknown>): string | undefined {
  const declared = gherkinTextOf(pick(record, ALIASES.gherkin));
  const scenarioField = gherkinTextOf(pick(record, SCENARIO_ALIASES));
  const gherkinText =
    declared && /\b(Feature|Scenario|Given|When|Then)\b/i.test(declared)
      ? declared
      : scenarioField && looksLikeGherkin(scenarioField)
        ? scenarioField
        : undefined;
  return gherkinText ? gherkinText.replace(/\\n/g, '\n').trim() + '\n' : undefined;
}

function titleOf(record: Record<string, unknown>, gherkin: string | undefined): string | undefined {
  let title = asText(pick(record, ALIASES.title));
  if (title && looksLikeGherkin(title)) title = undefined;
  if (!title && gherkin) title = /^\s*Scenario(?: Outline)?:\s*(.+)$/im.exec(gherkin)?.[1]?.trim();
  if (!title) title = asText(pick(record, ALIASES.description))?.split('\n')[0];
  return title?.replace(/^(?:test\s*case|tc)[\s#-]*\d+\s*[:.-]\s*/i, '').trim();
}

/** Preconditions and steps, from the case's fields or else from its Gherkin; a case-level result goes on the last step. */
function bodyOf(
  record: Record<string, unknown>,
  gherkin: string | undefined,
): { preconditions: string[]; steps: LooseStep[] } {
  let preconditions = asList(pick(record, ALIASES.preconditions));
  let steps = toSteps(pick(record, ALIASES.steps));
  if (steps.length === 0 && gherkin) {
    const derived = gherkinToSteps(gherkin);
    steps = derived.steps;
    if (preconditions.length === 0) preconditions = derived.preconditions;
  }
  const caseExpected = asText(pick(record, ALIASES.expected));
  if (caseExpected) {
    const last = steps.at(-1);
    if (!last) steps.push({ action: 'Observe the result', expected: caseExpected });
    else if (!last.expected) last.expected = caseExpected;
    else if (!last.expected.includes(caseExpected)) last.expected = `${last.expected}; ${caseExpected}`;
  }
  const caseData = asText(pick(record, CASE_DATA_ALIASES));
  if (caseData && !steps.some((step) => step.data)) preconditions.push(`Test data: ${caseData}`);
  return { preconditions, steps };
}

function kindOf(record: Record<string, unknown>, title: string | undefined, warnings: string[]) {
  const rawKind = pick(record, ALIASES.kind);
  const kind = mapKind(rawKind);
  if (kind) return kind;
  if (rawKind !== undefined) warnings.push(`Unknown kind "${asText(rawKind)}"; inferred from the title.`);
  return inferKind(title ?? '');
}

/** The criteria the case names, known to the story; inferred from its text when it names none. */
function coversOf(
  record: Record<string, unknown>,
  context: NormalizeContext,
  warnings: string[],
  body: {
    title: string | undefined;
    preconditions: string[];
    steps: LooseStep[];
    gherkin: string | undefined;
  },
): string[] {
  const normalized = normalizeCovers(pick(record, ALIASES.covers), context.story);
  if (normalized.unknown.length) {
    warnings.push(
      `Dropped references to acceptance criteria the story does not have: ${normalized.unknown.join(', ')}.`,
    );
  }
  if (
    normalized.covers.length > 0 ||
    normalized.unknown.length > 0 ||
    !context.story.acceptanceCriteria.length
  )
    return normalized.covers;
  // The case's text, read only when it names no criterion.
  const text = [
    body.title ?? '',
    ...body.preconditions,
    ...body.steps.flatMap((step) => [step.action, step.expected ?? '']),
    body.gherkin ?? '',
  ].join(' ');
  const covers = inferCovers(text, context.story);
  if (covers.length) {
    warnings.push(
      `The answer named no acceptance criterion for this case; ${covers.join(', ')} inferred from its text (check it).`,
    );
  }
  return covers;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the text "${value.slice(0, 40)}"` : `a ${typeof value}`;
}

/** True when an object looks like one test case rather than a wrapper around a list. */
export function looksLikeTestCase(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const hasTitle = pick(record, ALIASES.title) !== undefined;
  const hasBody =
    pick(record, ALIASES.steps) !== undefined ||
    pick(record, ALIASES.gherkin) !== undefined ||
    pick(record, ALIASES.expected) !== undefined;
  return hasTitle && hasBody;
}
