import { renderFeature, repairGherkin, validateGherkin, type RenderStep } from '../gherkin/index.ts';
import type { TestCase, TestFormat } from '../model.ts';
import { gherkinToSteps } from './gherkin-text.ts';

/**
 * Makes sure a case's Gherkin parses: keeps it, repairs it (saying so on the case), or reports
 * it. A BDD case that came without Gherkin but with steps gets a scenario written from them.
 * Changes the case in place and returns the warnings it added.
 */
export function checkCaseGherkin(testCase: TestCase, format: TestFormat, featureName?: string): string[] {
  const added: string[] = [];
  if (!testCase.gherkin) {
    if (format === 'bdd') {
      if (testCase.steps.length > 0) {
        testCase.gherkin = gherkinFromSteps(testCase, featureName ?? testCase.title);
        added.push('The model gave no Gherkin for this BDD case; the scenario was written from its steps.');
      } else {
        added.push('This BDD test case has no Gherkin scenario.');
      }
    }
  } else if (!validateGherkin(testCase.gherkin).ok) {
    const repaired = repairGherkin(testCase.gherkin, featureName ? { featureName } : {});
    if (repaired) {
      testCase.gherkin = repaired.text;
      if (testCase.steps.length === 0) {
        const derived = gherkinToSteps(repaired.text);
        testCase.steps = derived.steps;
        if (testCase.preconditions.length === 0) testCase.preconditions = derived.preconditions;
      }
      added.push(`Its Gherkin was repaired: ${repaired.repairs.join('; ')}.`);
    } else {
      const validation = validateGherkin(testCase.gherkin);
      const reason = validation.ok ? '' : `: ${validation.error.message}`;
      added.push(
        `Its Gherkin does not parse and could not be repaired${reason}. Fix it by hand before running it.`,
      );
    }
  }
  testCase.warnings.push(...added);
  return added;
}

function gherkinFromSteps(testCase: TestCase, featureName: string): string {
  const steps: RenderStep[] = [];
  testCase.preconditions.forEach((text, index) =>
    steps.push({ keyword: index === 0 ? 'Given' : 'And', text }),
  );
  let seenWhen = false;
  for (const step of testCase.steps) {
    const action = step.data ? `${step.action} with "${step.data}"` : step.action;
    steps.push({ keyword: seenWhen ? 'And' : 'When', text: action });
    seenWhen = true;
    if (step.expected) {
      steps.push({ keyword: 'Then', text: step.expected });
      seenWhen = false;
    }
  }
  return renderFeature({ featureName, scenarios: [{ name: testCase.title, steps }] });
}
