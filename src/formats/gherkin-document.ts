import { AstBuilder, GherkinClassicTokenMatcher, Parser, dialects } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import type { GherkinDocument } from '@cucumber/messages';

/**
 * Parses Gherkin text with `@cucumber/gherkin` (the reference parser). Returns the document, or the
 * parser's message when the text is not valid Gherkin. Private to formats/: core owns the product's
 * Gherkin validation; this only reads and writes `.feature` files.
 */
export function parseGherkinDocument(
  text: string,
): { ok: true; document: GherkinDocument } | { ok: false; message: string } {
  const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
  try {
    return { ok: true, document: parser.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
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
