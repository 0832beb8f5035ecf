import { normalizeKey } from './json-text.ts';

/** Reading the loose records of a model's answer: field aliases and lenient conversions. */

/** Field aliases, compared with `normalizeKey` (no case, no punctuation). */
export const ALIASES = {
  title: [
    'title',
    'name',
    'testcasename',
    'testname',
    'testcasetitle',
    'summary',
    'scenarioname',
    'testcase',
    'scenario',
    'case',
  ],
  description: ['description', 'objective', 'purpose'],
  kind: ['kind', 'type', 'testtype', 'casetype', 'category', 'testkind', 'testcasetype', 'classification'],
  priority: ['priority', 'severity', 'importance'],
  preconditions: [
    'preconditions',
    'precondition',
    'prerequisites',
    'prerequisite',
    'preconditionslist',
    'setup',
    'given',
  ],
  steps: ['steps', 'teststeps', 'procedure', 'actions', 'stepstoreproduce', 'stepslist', 'testprocedure'],
  expected: [
    'expectedresult',
    'expectedresults',
    'expected',
    'expectedoutcome',
    'expectedbehavior',
    'expectedbehaviour',
    'outcome',
    'result',
    'then',
  ],
  data: ['testdata', 'data', 'inputdata', 'input', 'inputs', 'values', 'value'],
  gherkin: ['gherkin', 'gherkinscenario', 'feature', 'bdd', 'scenariotext', 'gherkintext', 'featurefile'],
  covers: [
    'covers',
    'covered',
    'acceptancecriteria',
    'coveredcriteria',
    'criteria',
    'acs',
    'ac',
    'acids',
    'acceptancecriteriaids',
    'requirements',
    'traceability',
    'relatedcriteria',
    'coverage',
  ],
  stepAction: [
    'action',
    'step',
    'description',
    'instruction',
    'stepdescription',
    'text',
    'name',
    'do',
    'when',
  ],
} as const;

/** `normalizeKey` of the field names met so far: answers use the same few names over and over. */
const normalizedKeys = new Map<string, string>();

function normalizedKeyOf(key: string): string {
  let normalized = normalizedKeys.get(key);
  if (normalized === undefined) {
    normalized = normalizeKey(key);
    // Bounded: a hostile answer with endless distinct keys must not grow the cache.
    if (normalizedKeys.size < 1000) normalizedKeys.set(key, normalized);
  }
  return normalized;
}

/** Each alias list's first position of each alias (`indexOf`), made once per list. */
const positionsByAliases = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

function aliasPositions(aliases: readonly string[]): ReadonlyMap<string, number> {
  let positions = positionsByAliases.get(aliases);
  if (positions === undefined) {
    const made = new Map<string, number>();
    aliases.forEach((alias, index) => {
      if (!made.has(alias)) made.set(alias, index);
    });
    positions = made;
    positionsByAliases.set(aliases, positions);
  }
  return positions;
}

/**
 * The value of the first alias the record has a non-empty field for. Two keys that normalise
 * alike (`Title`, `title`): the later one counts.
 */
export function pick(record: Record<string, unknown>, aliases: readonly string[]): unknown {
  // By alias position; a case is read through a dozen picks, so no map is built for each.
  const positions = aliasPositions(aliases);
  let byAlias: unknown[] | undefined;
  for (const key of Object.keys(record)) {
    const index = positions.get(normalizedKeyOf(key));
    if (index !== undefined) (byAlias ??= [])[index] = record[key];
  }
  if (!byAlias) return undefined;
  for (let index = 0; index < aliases.length; index++) {
    const value = byAlias[index];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

export function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(asText).filter((part): part is string => Boolean(part));
    return parts.length ? parts.join('; ') : undefined;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([key, entry]) => `${key}: ${asText(entry) ?? ''}`.trim())
      .filter(Boolean);
    return entries.length ? entries.join(', ') : undefined;
  }
  return undefined;
}

/** A list of strings from an array, or a string with one item per line or bullet. */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value))
    return value
      .map(asText)
      .filter((item): item is string => Boolean(item))
      .map(stripBullet);
  const text = asText(value);
  if (!text) return [];
  return text.split(/\n+/).map(stripBullet).filter(Boolean);
}

/** `1. Open`, `- Open`, `Step 2: Open`, `* Open` → `Open`. */
export function stripBullet(text: string): string {
  return text
    .trim()
    .replace(/^(?:step\s*\d+\s*[:.)-]\s*|\d+\s*[.)]\s+|[-*•]\s+)/i, '')
    .trim();
}
