import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import type { TestCase, TestFormat } from '../model.ts';

/** Temporary local check until src/core/gherkin.ts lands. */
function parses(text: string): { ok: true } | { ok: false; message: string } {
  try {
    const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
    const document = parser.parse(text);
    if (!document.feature) return { ok: false, message: 'no Feature' };
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Makes sure a case's Gherkin parses: keeps it, repairs it (with a warning on the case), or
 * reports it. A BDD case without Gherkin is reported. Returns the warnings added to the case.
 */
export function checkCaseGherkin(testCase: TestCase, format: TestFormat): string[] {
  const added: string[] = [];
  if (!testCase.gherkin) {
    if (format === 'bdd') added.push('This BDD test case has no Gherkin scenario.');
  } else {
    const result = parses(testCase.gherkin);
    if (!result.ok) added.push(`Its Gherkin does not parse: ${result.message}`);
  }
  testCase.warnings.push(...added);
  return added;
}
