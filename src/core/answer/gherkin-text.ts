/**
 * Reading Gherkin text written by a model: splitting one Feature into one text per Scenario, and
 * turning a scenario's Given/When/Then into preconditions and steps.
 */

const SCENARIO_LINE = /^\s*(Scenario Outline|Scenario Template|Scenario|Example):\s*(.*)$/i;
const FEATURE_LINE = /^\s*Feature:\s*(.*)$/i;
const STEP_LINE = /^\s*(Given|When|Then|And|But|\*)\s+(.*)$/i;

export interface GherkinScenarioText {
  title: string;
  /** A complete Feature holding this scenario alone (with the Background, if any). */
  gherkin: string;
  tags: string[];
}

/** True when the text reads as Gherkin (a Feature or Scenario line with at least one step). */
export function looksLikeGherkin(text: string): boolean {
  return /^\s*(Feature|Scenario(?: Outline)?):/im.test(text) && /^\s*(Given|When|Then)\s+\S/im.test(text);
}

/** One text per scenario; each keeps the Feature line and Background so that it parses alone. */
export function splitGherkinScenarios(text: string): GherkinScenarioText[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let featureLine = 'Feature: Generated test cases';
  const header: string[] = [];
  const scenarios: Array<{ title: string; lines: string[]; tags: string[] }> = [];
  let pendingTags: string[] = [];
  let seenScenario = false;
  for (const line of lines) {
    if (/^\s*```/.test(line)) continue;
    const feature = FEATURE_LINE.exec(line);
    if (feature) {
      featureLine = line.trim();
      continue;
    }
    if (/^\s*@\S/.test(line)) {
      pendingTags.push(...line.trim().split(/\s+/));
      continue;
    }
    const scenario = SCENARIO_LINE.exec(line);
    if (scenario) {
      seenScenario = true;
      scenarios.push({ title: (scenario[2] ?? '').trim(), lines: [line.trimEnd()], tags: pendingTags });
      pendingTags = [];
      continue;
    }
    if (!seenScenario) {
      // Background and its steps belong to every scenario; the feature's free text is dropped.
      if (/^\s*Background:/i.test(line) || (header.length > 0 && line.trim())) header.push(line.trimEnd());
      continue;
    }
    scenarios.at(-1)?.lines.push(line.trimEnd());
  }
  return scenarios.map((scenario) => {
    const body = [...(scenario.tags.length ? [`  ${scenario.tags.join(' ')}`] : []), ...scenario.lines];
    const gherkin = [featureLine, '', ...(header.length ? [...header, ''] : []), ...body]
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd();
    return { title: scenario.title, gherkin: `${gherkin}\n`, tags: scenario.tags };
  });
}

/**
 * Given lines become preconditions; each When (and its And/But) becomes a step; Then lines become
 * the expected result of the step before them.
 */
export function gherkinToSteps(gherkin: string): {
  preconditions: string[];
  steps: Array<{ action: string; expected?: string }>;
} {
  const preconditions: string[] = [];
  const steps: Array<{ action: string; expected?: string }> = [];
  let section: 'given' | 'when' | 'then' = 'given';
  for (const line of gherkin.split('\n')) {
    const match = STEP_LINE.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toLowerCase();
    const text = (match[2] ?? '').trim();
    if (keyword === 'given') section = 'given';
    else if (keyword === 'when') section = 'when';
    else if (keyword === 'then') section = 'then';
    if (section === 'given') preconditions.push(text);
    else if (section === 'when') steps.push({ action: text });
    else {
      const last = steps.at(-1);
      if (!last) steps.push({ action: 'Observe the result', expected: text });
      else last.expected = last.expected ? `${last.expected}; ${text}` : text;
    }
  }
  return { preconditions, steps };
}
