import { classify, placeholdersOf, scenarioName, type RepairLine } from './repair-lines.ts';
import { validateGherkin } from './validate.ts';

/** The repairs made, in plain words, each once. */
class RepairNotes {
  readonly list: string[] = [];
  readonly note = (repair: string): void => {
    if (!this.list.includes(repair)) this.list.push(repair);
  };
}

/** Markdown fences around the feature are dropped (but ``` doc strings inside steps are kept). */
function withoutFence(rawLines: string[], note: (repair: string) => void): string[] {
  const fenceIndexes = rawLines.flatMap((line, index) => (/^\s*```[\w-]*\s*$/.test(line) ? [index] : []));
  if (fenceIndexes.length === 0) return rawLines;
  const firstFence = fenceIndexes[0]!;
  const opensFeature = rawLines.slice(firstFence + 1).find((line) => line.trim() !== '');
  if (
    opensFeature === undefined ||
    !/^\s*(?:#+\s*)?(?:\**)?(?:@|feature|scenario|given|#|\d+\.|[-*])/i.test(opensFeature)
  ) {
    return rawLines;
  }
  const lastFence = fenceIndexes.length > 1 ? fenceIndexes[fenceIndexes.length - 1]! : rawLines.length;
  const outside = [...rawLines.slice(0, firstFence), ...rawLines.slice(lastFence + 1)];
  if (rawLines.slice(0, firstFence).some((line) => line.trim() !== ''))
    note('removed text before the Gherkin');
  if (rawLines.slice(lastFence + 1).some((line) => line.trim() !== '' && outside.length > 0))
    note('removed text after the Gherkin');
  note('removed the Markdown code fence around the Gherkin');
  return rawLines.slice(firstFence + 1, lastFence);
}

/** Prose before the first Gherkin line and after the last one is dropped; undefined when there is no Gherkin. */
function gherkinLines(classified: RepairLine[], note: (repair: string) => void): RepairLine[] | undefined {
  const isGherkin = (line: RepairLine) =>
    line.kind !== 'other' && line.kind !== 'blank' && line.kind !== 'comment';
  const firstGherkin = classified.findIndex(isGherkin);
  if (firstGherkin === -1) return undefined;
  let lastGherkin = classified.length - 1;
  while (lastGherkin > 0 && !isGherkin(classified[lastGherkin]!)) lastGherkin -= 1;
  if (classified.slice(0, firstGherkin).some((line) => line.kind === 'other'))
    note('removed text before the Gherkin');
  if (classified.slice(lastGherkin + 1).some((line) => line.kind === 'other'))
    note('removed text after the Gherkin');
  return classified.slice(firstGherkin, lastGherkin + 1);
}

interface ScenarioEntry {
  headerIndex: number;
  steps: string[];
  hasExamples: boolean;
}

/** Writes classified lines back as a well-indented feature, one method per kind of line. */
class FeatureWriter {
  readonly output: string[] = [];
  readonly scenarios: ScenarioEntry[] = [];
  private featureSeen = false;
  private currentFeatureName = '';
  private inScenario = false;
  private inDocString = false;
  private descriptionAllowed = false;
  private pendingTags: string[] = [];
  private scenario: ScenarioEntry | undefined;
  private tableWidth: number | undefined;

  constructor(
    private readonly fallbackName: string,
    private readonly note: (repair: string) => void,
  ) {}

  write(line: RepairLine): void {
    if (this.inDocString) {
      this.output.push(`      ${line.text}`);
      if (line.kind === 'docstring') this.inDocString = false;
      return;
    }
    switch (line.kind) {
      case 'blank':
        this.separate();
        this.tableWidth = undefined;
        return;
      case 'comment':
        this.output.push((this.inScenario ? '    ' : '') + line.text);
        return;
      case 'tag':
        this.pendingTags.push(line.text);
        return;
      case 'feature':
        return this.feature(line.text);
      case 'header':
        return this.header(line.text);
      case 'scenario':
        return this.startScenario(line.text);
      case 'examples':
        return this.examples(line.text);
      case 'step':
        return this.step(line.text);
      case 'table':
        return this.tableRow(line.text);
      case 'docstring':
        this.output.push(`      ${line.text}`);
        this.inDocString = true;
        return;
      case 'other':
        return this.other(line.text);
    }
  }

  private separate(): void {
    if (this.output.length > 0 && this.output[this.output.length - 1] !== '') this.output.push('');
  }

  private ensureFeature(): void {
    if (this.featureSeen) return;
    this.output.push(`Feature: ${this.fallbackName}`, '');
    this.featureSeen = true;
    this.note('added the missing "Feature:" line');
  }

  private flushTags(indent: string): void {
    if (this.pendingTags.length > 0) this.output.push(...this.pendingTags.map((tag) => indent + tag));
    this.pendingTags = [];
  }

  private feature(text: string): void {
    if (this.featureSeen) {
      this.note('merged several "Feature:" blocks into one');
      this.pendingTags = [];
      return;
    }
    this.flushTags('');
    this.output.push(text);
    this.currentFeatureName = scenarioName(text);
    this.featureSeen = true;
    this.descriptionAllowed = true;
  }

  private header(text: string): void {
    this.ensureFeature();
    if (this.output[this.output.length - 1] !== '') this.output.push('');
    this.flushTags('  ');
    this.output.push(`  ${text}`);
    this.inScenario = true;
    this.scenario = undefined;
    this.descriptionAllowed = true;
  }

  private startScenario(header: string): void {
    this.ensureFeature();
    this.separate();
    this.flushTags('  ');
    this.output.push(`  ${header}`);
    this.scenario = { headerIndex: this.output.length - 1, steps: [], hasExamples: false };
    this.scenarios.push(this.scenario);
    this.inScenario = true;
    this.descriptionAllowed = true;
    this.tableWidth = undefined;
  }

  private examples(text: string): void {
    if (!this.scenario) return;
    if (this.output[this.output.length - 1] !== '') this.output.push('');
    this.flushTags('    ');
    this.output.push(`    ${text}`);
    this.scenario.hasExamples = true;
    this.descriptionAllowed = true;
    this.tableWidth = undefined;
  }

  private step(text: string): void {
    if (!this.inScenario) {
      this.startScenario(`Scenario: ${this.currentFeatureName || this.fallbackName}`);
      this.note('put steps that came before any scenario into a scenario');
    }
    this.output.push(`    ${text}`);
    this.scenario?.steps.push(text);
    this.descriptionAllowed = false;
    this.tableWidth = undefined;
  }

  private tableRow(text: string): void {
    const cells = text
      .replace(/^\|/, '')
      .replace(/\|\s*$/, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    if (this.tableWidth === undefined) this.tableWidth = cells.length;
    else if (cells.length < this.tableWidth) {
      while (cells.length < this.tableWidth) cells.push('');
      this.note('filled missing table cells');
    } else if (cells.length > this.tableWidth) {
      cells.length = this.tableWidth;
      this.note('dropped extra table cells');
    }
    this.output.push(`      | ${cells.join(' | ')} |`);
    this.descriptionAllowed = false;
  }

  private other(text: string): void {
    const indent = this.inScenario ? '    ' : '  ';
    if (this.descriptionAllowed && (this.featureSeen || this.inScenario)) {
      this.output.push(indent + text);
    } else {
      this.output.push(`${indent}# ${text}`);
      this.note('kept stray text between steps as comments');
    }
  }
}

/** A Scenario Outline with no Examples becomes a plain Scenario (nothing can fill it in). */
function outlinesWithoutExamples(writer: FeatureWriter, note: (repair: string) => void): void {
  for (const entry of writer.scenarios) {
    const header = writer.output[entry.headerIndex]!;
    if (!/^\s*Scenario (?:Outline|Template):/.test(header) || entry.hasExamples) continue;
    writer.output[entry.headerIndex] = header.replace(/Scenario (?:Outline|Template):/, 'Scenario:');
    const placeholders = placeholdersOf(entry.steps);
    note(
      placeholders.length > 0
        ? `made the Scenario Outline "${scenarioName(header)}" without Examples a plain Scenario; its steps still contain ${placeholders.map((name) => `<${name}>`).join(', ')}`
        : `made the Scenario Outline "${scenarioName(header)}" without Examples a plain Scenario`,
    );
  }
}

/**
 * Repairs the mistakes models commonly make in Gherkin: Markdown fences and headings, prose
 * around the feature, numbered or bulleted steps, bold keywords, lowercase keywords, colons after
 * step keywords, tabs and odd indentation, a missing `Feature:` line, steps before any scenario,
 * several `Feature:` blocks in one answer, table rows with missing cells, stray text between
 * steps (kept as comments), and a `Scenario Outline` without `Examples` (made a plain scenario).
 *
 * Returns the repaired text with the repairs made, in plain words (`repairs` is empty when the
 * text was already valid), or `undefined` when it still does not validate after repair.
 *
 * @example
 * repairGherkin('```gherkin\nScenario: Login\n1. given I am on the login page\n```')
 * // { text: 'Feature: Login\n\n  Scenario: Login\n    Given I am on the login page\n', repairs: [...] }
 */
export function repairGherkin(
  text: string,
  options: { featureName?: string } = {},
): { text: string; repairs: string[] } | undefined {
  if (validateGherkin(text).ok) return { text, repairs: [] };
  const { list: repairs, note } = new RepairNotes();
  if (text.includes('\t')) note('replaced tabs with spaces');

  const rawLines = withoutFence(text.replace(/\r\n?/g, '\n').split('\n'), note);
  const lines = gherkinLines(
    rawLines.map((line) => classify(line, note)),
    note,
  );
  if (!lines) return undefined;

  const firstScenarioLine = lines.find((line) => line.kind === 'scenario');
  const fallbackName =
    (options.featureName ?? (firstScenarioLine ? scenarioName(firstScenarioLine.text) : '')) ||
    'Generated scenarios';
  const writer = new FeatureWriter(fallbackName, note);
  for (const line of lines) writer.write(line);
  outlinesWithoutExamples(writer, note);

  const repaired =
    writer.output
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n';
  if (repaired.replace(/\s+/g, '') === text.replace(/\s+/g, '') && repairs.length === 0)
    note('normalised indentation');
  if (!validateGherkin(repaired).ok) return undefined;
  return { text: repaired, repairs };
}
