import type { ExportBundle, ExportFile, ExportOptions } from './bundle.ts';
import { ISSUE_KEY_PATTERN } from '../import/story-builder.ts';
import { gherkinLanguage, gherkinTag, renderCaseScenarios } from './scenario-render.ts';
import { stepKeywords } from '../gherkin-document.ts';

/**
 * One `.feature` file per story: the story key as a tag (`@REQ_KEY` with `xrayTags: 'cloud'`), the story's description and criteria as
 * comments (comments can hold any text without breaking the parser), one Scenario per test case
 * tagged with its id and the criteria it covers.
 */
export function exportCucumber(
  bundle: ExportBundle,
  warnings: string[],
  options: Pick<ExportOptions, 'xrayTags'> = {},
): ExportFile[] {
  const usedNames = new Set<string>();
  return bundle.stories.map(({ story, testCases }) => {
    const language = testCases.map(gherkinLanguage).find((found) => found !== undefined) ?? 'en';
    const keywords = stepKeywords(language);
    const lines: string[] = [];
    if (language !== 'en') lines.push(`# language: ${language}`);
    // Xray Cloud reads a requirement from `@REQ_KEY`; only a Jira key can be one.
    const requirementTag =
      options.xrayTags === 'cloud' && ISSUE_KEY_PATTERN.test(story.key)
        ? `@REQ_${story.key}`
        : gherkinTag(story.key);
    lines.push(requirementTag, `${keywords.feature}: ${story.summary.replace(/\s+/g, ' ').trim()}`);
    const comment = (text: string) => text.split('\n').map((line) => `  # ${line}`.trimEnd());
    if (story.description) lines.push(...comment(story.description));
    if (story.acceptanceCriteria.length > 0) {
      lines.push('  #', '  # Acceptance criteria:');
      for (const criterion of story.acceptanceCriteria)
        lines.push(...comment(`${criterion.id}: ${criterion.text}`));
    }
    for (const testCase of testCases) {
      for (const scenario of renderCaseScenarios(testCase, language, warnings)) {
        lines.push('', `  ${scenario.tags.join(' ')}`, `  ${scenario.keyword}: ${scenario.name}`);
        lines.push(...scenario.body.map((line) => (line === '' ? '' : `    ${line}`)));
      }
    }
    return {
      name: uniqueFileName(story.key, usedNames),
      mediaType: 'text/x-gherkin',
      content: lines.join('\n') + '\n',
    };
  });
}

function uniqueFileName(key: string, used: Set<string>): string {
  const base = key.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'story';
  let name = `${base}.feature`;
  for (let counter = 2; used.has(name.toLowerCase()); counter += 1) name = `${base}-${counter}.feature`;
  used.add(name.toLowerCase());
  return name;
}
