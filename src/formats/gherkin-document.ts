import { dialects } from '@cucumber/gherkin';
import type { GherkinDocument } from '@cucumber/messages';
import { parseGherkinText } from '../core/gherkin/parser.ts';

/**
 * Parses Gherkin text with `@cucumber/gherkin` (the reference parser, run by core's
 * `parseGherkinText`). Returns the document, or the parser's message when the text is not valid
 * Gherkin. Core owns the product's Gherkin validation; this only reads and writes `.feature` files.
 */
export function parseGherkinDocument(
  text: string,
): { ok: true; document: GherkinDocument } | { ok: false; message: string } {
  const parsed = parseGherkinText(text);
  if (parsed.ok) return parsed;
  const error = parsed.error;
  return { ok: false, message: error instanceof Error ? error.message : String(error) };
}

/** The step keywords of a Gherkin dialect (`en`, `fr`, …) without the `* ` wildcard, trailing space kept. */
export function stepKeywords(language: string): {
  given: string;
  when: string;
  then: string;
  and: string;
  feature: string;
  scenario: string;
} {
  const dialect = dialects[language] ?? dialects['en'];
  if (!dialect) throw new Error('the Gherkin dialect list has no English entry');
  const first = (keywords: readonly string[], fallback: string) =>
    keywords.find((keyword) => keyword.trim() !== '*') ?? fallback;
  return {
    given: first(dialect.given, 'Given '),
    when: first(dialect.when, 'When '),
    then: first(dialect.then, 'Then '),
    and: first(dialect.and, 'And '),
    feature: first(dialect.feature, 'Feature'),
    scenario: first(dialect.scenario, 'Scenario'),
  };
}
