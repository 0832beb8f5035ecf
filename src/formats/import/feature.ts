import type { Scenario, Step } from '@cucumber/messages';
import { InvalidInputError } from '../../shared/errors.ts';
import type { Result } from '../../shared/result.ts';
import { err, ok } from '../../shared/result.ts';
import { parseGherkinDocument } from '../gherkin-document.ts';
import type { StoryDraft } from './story-builder.ts';
import { ISSUE_KEY_PATTERN } from './story-builder.ts';

/**
 * Reads a Gherkin `.feature` file as a story: the Feature name is the summary, its description the
 * description, each Scenario (also inside Rules) one acceptance criterion ("name" then its steps).
 * A tag such as `@SHOP-12`, `@story:SHOP-12` or `@jira=SHOP-12` gives the key.
 */
export function readFeatureStory(text: string): Result<StoryDraft, InvalidInputError> {
  const parsed = parseGherkinDocument(text);
  if (!parsed.ok) {
    return err(
      new InvalidInputError(
        `The .feature file is not valid Gherkin: ${parsed.message.replace(/^Parser errors:\n/, '')}`,
        {
          fix: 'Fix the line named above (every Scenario needs a "Scenario:" line; steps start with Given/When/Then/And/But), or import the story as Markdown instead.',
        },
      ),
    );
  }
  const feature = parsed.document.feature;
  if (!feature) {
    return err(
      new InvalidInputError('The .feature file has no "Feature:" line.', {
        fix: 'Start the file with "Feature: <story summary>".',
      }),
    );
  }
  const scenarios: Scenario[] = [];
  for (const child of feature.children) {
    if (child.scenario) scenarios.push(child.scenario);
    for (const ruleChild of child.rule?.children ?? [])
      if (ruleChild.scenario) scenarios.push(ruleChild.scenario);
  }
  const key = feature.tags
    .map((tag) => tag.name.replace(/^@/, '').replace(/^(story|jira|issue|key)[:=]/i, ''))
    .find((name) => ISSUE_KEY_PATTERN.test(name));
  return ok({
    key,
    summary: feature.name,
    description: feature.description
      .split('\n')
      .map((line) => line.trim())
      .join('\n'),
    acceptanceCriteria: scenarios.map((scenario) => {
      const steps = scenario.steps.map((step: Step) => `${step.keyword.trim()} ${step.text}`);
      return [scenario.name.trim(), ...steps].filter(Boolean).join('\n');
    }),
  });
}
