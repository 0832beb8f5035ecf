/**
 * The one place that runs the official `@cucumber/gherkin` parser. Core's validation maps the
 * failure to its problems and summarizes the document; formats reads and writes `.feature` files
 * from the same document.
 */
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator, type GherkinDocument } from '@cucumber/messages';

/** The parsed document, or what the parser threw (its `errors` list every problem when there are several). */
export type GherkinParseResult = { ok: true; document: GherkinDocument } | { ok: false; error: unknown };

/**
 * Parses Gherkin text with the reference parser, ids numbered from 0.
 *
 * @example
 * const parsed = parseGherkinText('Feature: Login\n  Scenario: ok\n    Given a user\n');
 * if (parsed.ok) console.log(parsed.document.feature?.name); // 'Login'
 */
export function parseGherkinText(text: string): GherkinParseResult {
  const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
  try {
    return { ok: true, document: parser.parse(text) };
  } catch (error) {
    return { ok: false, error };
  }
}
