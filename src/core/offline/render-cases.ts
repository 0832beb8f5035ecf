import { renderFeature, type RenderExamples, type RenderStep } from '../gherkin/index.ts';
import type { Story, TestCase, TestFormat, TestStep } from '../model.ts';
import type { CaseBody, CaseRow, CaseSet } from './case-set-parts.ts';
import type { Phrases } from './phrases.ts';

/** A case before ids and priorities: one manual case, or one Gherkin scenario (maybe an outline). */
export interface RenderedCase {
  title: string;
  kind: TestCase['kind'];
  covers: string[];
  important: boolean;
  preconditions: string[];
  steps: TestStep[];
  gherkin?: string;
  /** All text of the case in pieces, for the out-of-scope check; made only when asked for. */
  pieces: () => string[];
}

function manualSteps(body: CaseBody, format: TestFormat): TestStep[] {
  return body.steps.map((step, index) => {
    const last = index === body.steps.length - 1;
    const expected = last ? body.results.join('; ') : step.expected;
    const data = format === 'generic' ? undefined : step.data;
    return {
      action:
        format === 'generic' && step.data ? `${step.wording.action} (${step.data})` : step.wording.action,
      ...(data ? { data } : {}),
      ...(expected ? { expected } : {}),
    };
  });
}

function gherkinSteps(body: CaseBody, phrases: Phrases): RenderStep[] {
  const steps: RenderStep[] = [];
  body.preconditions.forEach((precondition, index) =>
    steps.push({ keyword: index === 0 ? 'Given' : 'And', text: phrases.givenText(precondition) }),
  );
  let section: 'When' | 'Then' | undefined;
  for (const step of body.steps) {
    const data =
      step.data && !step.wording.gherkin.includes(step.data) && step.data.length <= 60
        ? ` "${step.data.replace(/"/g, '')}"`
        : '';
    steps.push({ keyword: section === 'When' ? 'And' : 'When', text: `${step.wording.gherkin}${data}` });
    section = 'When';
    if (step.expected) {
      steps.push({ keyword: 'Then', text: phrases.thenText(step.expected) });
      section = 'Then';
    }
  }
  body.results.forEach((result, index) =>
    steps.push({
      keyword: index === 0 ? 'Then' : 'And',
      text: index === 0 ? phrases.thenText(result) : result.charAt(0).toLowerCase() + result.slice(1),
    }),
  );
  return steps;
}

/** Splits the differing middle of a set of texts off their common words, keeping quotes and brackets whole. */
function commonFrame(words: string[][]): { prefix: number; suffix: number } | undefined {
  const shortest = Math.min(...words.map((list) => list.length));
  let start = 0;
  while (start < shortest && words.every((list) => list[start] === words[0]![start])) start += 1;
  let end = 0;
  while (
    end < shortest - start &&
    words.every((list) => list[list.length - 1 - end] === words[0]![words[0]!.length - 1 - end])
  )
    end += 1;
  const balanced = (text: string) =>
    (text.match(/"/g)?.length ?? 0) % 2 === 0 &&
    (text.match(/\(/g)?.length ?? 0) === (text.match(/\)/g)?.length ?? 0) &&
    (text.match(/[„«]/g)?.length ?? 0) === (text.match(/[“»]/g)?.length ?? 0);
  // Widen the middle until every row's cell is whole: `4)` becomes `(member number 4)`.
  for (let prefix = start; prefix >= 0; prefix -= 1) {
    for (let suffix = end; suffix >= 0; suffix -= 1) {
      if (words.every((list) => balanced(list.slice(prefix, list.length - suffix).join(' '))))
        return { prefix, suffix };
    }
  }
  return undefined;
}

/** Rows of the same shape as one Scenario Outline: every differing text becomes a column. */
function outline(stepLists: RenderStep[][]): { steps: RenderStep[]; examples: RenderExamples } | undefined {
  const first = stepLists[0]!;
  if (
    stepLists.some(
      (steps) =>
        steps.length !== first.length || steps.some((step, index) => step.keyword !== first[index]!.keyword),
    )
  )
    return undefined;
  const header: string[] = [];
  const cells: string[][] = stepLists.map(() => []);
  let mismatch = false;
  const steps: RenderStep[] = first.map((step, index) => {
    const texts = stepLists.map((list) => list[index]!.text);
    if (texts.every((text) => text === texts[0])) return step;
    const rowWords = texts.map((text) => text.split(' '));
    const frame = commonFrame(rowWords);
    if (!frame) {
      mismatch = true;
      return step;
    }
    const name =
      step.keyword === 'Given' || index < first.findIndex((other) => other.keyword === 'When')
        ? 'before'
        : step.keyword !== 'Then' && !first.slice(0, index).some((other) => other.keyword === 'Then')
          ? 'value'
          : 'outcome';
    const column = header.includes(name)
      ? `${name} ${header.filter((other) => other.startsWith(name)).length + 1}`
      : name;
    header.push(column);
    rowWords.forEach((words, row) => {
      cells[row]!.push(words.slice(frame.prefix, words.length - frame.suffix).join(' '));
    });
    const words = rowWords[0]!;
    return {
      keyword: step.keyword,
      text: [
        ...words.slice(0, frame.prefix),
        `<${column}>`,
        ...words.slice(words.length - frame.suffix),
      ].join(' '),
    };
  });
  if (mismatch) return undefined;
  if (header.length === 0) return undefined;
  return { steps, examples: { header, rows: cells } };
}

function casePieces(row: CaseRow): string[] {
  const pieces = [row.title, ...row.body.preconditions];
  for (const step of row.body.steps) pieces.push(step.wording.action, step.data ?? '', step.expected ?? '');
  pieces.push(...row.body.results);
  return pieces;
}

/**
 * The cases of a set in a format: manual and generic get one case per row; BDD gets one Scenario
 * Outline when the rows differ only in values, otherwise one scenario per row.
 */
export function renderSet(set: CaseSet, story: Story, format: TestFormat, phrases: Phrases): RenderedCase[] {
  const feature = (name: string, tags: string[], steps: RenderStep[], examples?: RenderExamples) =>
    renderFeature({
      language: phrases.language,
      featureName: `${story.key}: ${story.summary}`,
      scenarios: [{ name, tags, steps, ...(examples ? { examples } : {}) }],
    });
  const base = (row: CaseRow): RenderedCase => ({
    title: row.title,
    kind: row.kind,
    covers: set.covers,
    important: set.important ?? false,
    preconditions: row.body.preconditions,
    steps: manualSteps(row.body, format),
    pieces: () => casePieces(row),
  });
  if (format !== 'bdd') return set.rows.map(base);
  // Rows of the same shape (accepted values, refused values) become one outline each.
  // Each row's steps are written once, then grouped by shape.
  const groups = new Map<string, Array<{ row: CaseRow; steps: RenderStep[] }>>();
  for (const row of set.rows) {
    const steps = gherkinSteps(row.body, phrases);
    const shape = steps.map((step) => step.keyword).join(' ');
    const group = groups.get(shape);
    if (group) group.push({ row, steps });
    else groups.set(shape, [{ row, steps }]);
  }
  return [...groups.values()].flatMap((entries): RenderedCase[] => {
    const rows = entries.map((entry) => entry.row);
    const grouped = entries.length > 1 ? outline(entries.map((entry) => entry.steps)) : undefined;
    if (!grouped) {
      return entries.map(({ row, steps }) => ({
        ...base(row),
        gherkin: feature(row.title, [row.kind, ...set.covers], steps),
      }));
    }
    const values = rows.map((row) => row.title.split(': ').pop()).join(', ');
    const title = groups.size > 1 ? `${set.title}: ${values}` : set.title;
    return [
      {
        ...base(rows[0]!),
        title,
        kind: set.kind,
        pieces: () => rows.flatMap(casePieces),
        gherkin: feature(title, [set.kind, ...set.covers], grouped.steps, grouped.examples),
      },
    ];
  });
}
