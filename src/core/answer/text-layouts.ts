import { splitGherkinScenarios } from './gherkin-text.ts';
import { stripBullet } from './loose-fields.ts';

/**
 * Readers for answers that are not JSON: the contract document's plain-text layout
 * (`Test Case 1: Valid Login` / `Steps:` / `Expected Result:`), Markdown sections with step
 * tables, and raw Gherkin. Each returns loose records for `normalizeTestCase`.
 */

type LooseRecord = Record<string, unknown>;

/** `Test Case 1: Valid Login`, `**TC-01 – Valid login**`, `### Test Case #2 - Locked account`. */
const NUMBERED_CASE_HEADER =
  /^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:test\s*case|tc|test|scenario|testfall|szenario|cas de test|caso de (?:prueba|teste))\s*[-#]?\s*(\d+)\s*(?:\*\*)?\s*[:.)\-–—]\s*(?:\*\*)?\s*(.*?)\s*(?:\*\*|__)?\s*$/i;
const HEADING = /^\s*(#{1,6})\s+(.+?)\s*#*\s*$/;

type Section = 'preconditions' | 'steps' | 'expected' | 'data' | 'covers' | 'description' | undefined;

// English first; German, French, Spanish and Portuguese for answers that follow the story's language.
const LABELS: Array<[RegExp, string]> = [
  [/^(?:test\s*)?(?:type|kind|category|classification|typ|art|tipo|catégorie|categoría)$/, 'kind'],
  [/^(?:priority|severity|importance|priorität|priorite|priorité|prioridad|prioridade)$/, 'priority'],
  [
    /^(?:pre-?\s*conditions?|prerequisites?|setup|given|vorbedingungen?|voraussetzungen?|préconditions?|precondiciones?|pré-?condições)$/,
    'preconditions',
  ],
  [
    /^(?:test\s*)?(?:steps?|procedure)(?:\s*to\s*(?:execute|reproduce))?$|^(?:test)?schritte$|^(?:étapes|pasos|passos)$/,
    'steps',
  ],
  [
    /^expected\s*(?:results?|outcomes?|behaviou?r)?$|^erwartete[sr]?\s*ergebnis(?:se)?$|^résultats?\s*attendus?$|^resultados?\s*esperados?$/,
    'expected',
  ],
  [
    /^(?:test\s*)?(?:data|inputs?)$|^testdaten$|^données(?:\s*de\s*test)?$|^datos(?:\s*de\s*prueba)?$|^dados(?:\s*de\s*teste)?$/,
    'data',
  ],
  [
    /^(?:covers|covered|coverage|acceptance\s*criteria|ac|acs|criteria|traceability|requirements?)(?:\s*covered)?$|^(?:abdeckung|akzeptanzkriterien|couverture|critères d'acceptation|cobertura|criterios de aceptación)$/,
    'covers',
  ],
  [
    /^(?:description|objective|purpose|summary|beschreibung|ziel|objectif|descripción|objetivo|descrição)$/,
    'description',
  ],
  [/^(?:title|name|titel|titre|título|nombre)$/, 'title'],
];

function labelOf(raw: string): string | undefined {
  const label = raw.toLowerCase().replace(/[*_`]/g, '').trim();
  return LABELS.find(([pattern]) => pattern.test(label))?.[1];
}

/** Splits `Label: value` (with Markdown emphasis around the label) or returns undefined. */
function splitLabel(line: string): { field: string; value: string } | undefined {
  const match =
    /^\s*(?:[-*•]\s*)?(?:\*\*|__)?(\p{L}[\p{L} \-/()']{0,40}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$/u.exec(
      line,
    );
  if (!match) return undefined;
  const field = labelOf((match[1] ?? '').replace(/\(s\)/g, 's'));
  return field ? { field, value: (match[2] ?? '').trim() } : undefined;
}

function parseTableRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) =>
      cell
        .trim()
        .replace(/<br\s*\/?>/gi, ' ')
        .replace(/(\*\*|__|`)(.+?)\1/g, '$2'),
    );
}

type LooseStep = { action: string; data?: string; expected?: string };

/** Which column of a step table holds what; undefined until a header row names an action column. */
type StepColumns = Record<string, number>;

/** The columns a step table's header row names, or undefined when it names no action column. */
function stepColumnsOf(cells: string[]): StepColumns | undefined {
  const columns: StepColumns = {};
  const headers = cells.map((cell) => cell.toLowerCase().replace(/[*_]/g, '').trim());
  const findColumn = (pattern: RegExp) => {
    const index = headers.findIndex((header) => pattern.test(header));
    return index >= 0 ? index : undefined;
  };
  const expectedColumn = findColumn(/expected|result|outcome/);
  const dataColumn = findColumn(/data|input|value/);
  // "Step" alone is usually the step number; prefer a column named for the action.
  const actionColumn =
    findColumn(/action|description|instruction|step details|what to do/) ??
    headers.findIndex((header, index) => /^(test\s*)?steps?$/.test(header) && index !== 0);
  if (expectedColumn !== undefined) columns.expected = expectedColumn;
  if (dataColumn !== undefined) columns.data = dataColumn;
  if (actionColumn !== undefined && actionColumn >= 0) columns.action = actionColumn;
  return columns.action !== undefined ? columns : undefined;
}

const LIST_ITEM = /^\s*(?:\d+\s*[.)]|[-*•]|(?:step|schritt|étape|paso|passo)\s*\d+\s*[:.)-])\s+/i;

/** Reads one block of text (the lines under one case header) into a loose record, line by line. */
class BlockReader {
  private readonly record: LooseRecord;
  private readonly preconditions: string[] = [];
  private readonly steps: LooseStep[] = [];
  private readonly expected: string[] = [];
  private readonly data: string[] = [];
  private readonly covers: string[] = [];
  private readonly gherkinLines: string[] = [];
  private section: Section;
  private tableColumns: StepColumns | undefined;
  private inFence = false;

  constructor(title: string) {
    this.record = { title };
  }

  read(rawLine: string): void {
    const line = rawLine.replace(/\s+$/, '');
    if (/^\s*(```|~~~)/.test(line)) {
      this.inFence = !this.inFence;
      return;
    }
    if (this.inFence) {
      this.gherkinLines.push(line);
      return;
    }
    if (!line.trim() || /^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) return;
    if (/^\s*\|/.test(line)) return this.tableLine(line);
    this.tableColumns = undefined;
    if (!this.labelledLine(line)) this.plainLine(line);
  }

  private append(target: Section, value: string): void {
    if (!value) return;
    if (target === 'preconditions') this.preconditions.push(...value.split(/\s*;\s*/).filter(Boolean));
    else if (target === 'steps') this.steps.push({ action: value });
    else if (target === 'expected') this.expected.push(value);
    else if (target === 'data') this.data.push(value);
    else if (target === 'covers') this.covers.push(value);
    else if (target === 'description') this.record.description = value;
  }

  private tableLine(line: string): void {
    const cells = parseTableRow(line);
    if (cells.every((cell) => /^:?-{2,}:?$/.test(cell) || cell === '')) return;
    if (!this.tableColumns) {
      this.tableColumns = stepColumnsOf(cells);
      if (this.tableColumns) return;
      // A two-column "Field | Value" table: read its rows as labels.
      const labelled =
        cells.length >= 2 ? splitLabel(`${cells[0]}: ${cells.slice(1).join(' | ')}`) : undefined;
      if (labelled) this.append(labelled.field as Section, labelled.value);
      return;
    }
    const columns = this.tableColumns;
    const action = cells[columns.action ?? -1] ?? '';
    if (!action) return;
    const stepData = columns.data === undefined ? '' : (cells[columns.data] ?? '');
    const stepExpected = columns.expected === undefined ? '' : (cells[columns.expected] ?? '');
    this.steps.push({
      action,
      ...(stepData && !/^(-|n\/a|none)$/i.test(stepData) ? { data: stepData } : {}),
      ...(stepExpected ? { expected: stepExpected } : {}),
    });
  }

  /** "Priority: High | Type: Negative" on one line; false when the line is not all labels. */
  private labelledLine(line: string): boolean {
    const inlineParts = line.includes(' | ') ? line.split(/\s+\|\s+/) : [line];
    const labelled = inlineParts.map(splitLabel);
    if (!labelled.every(Boolean) || labelled.length === 0) return false;
    for (const part of labelled) {
      if (!part) continue;
      if (part.field === 'title') this.record.title ||= part.value;
      else if (part.field === 'kind' || part.field === 'priority') this.record[part.field] = part.value;
      else {
        this.section = part.field as Section;
        this.append(this.section, part.value);
      }
    }
    return true;
  }

  private plainLine(line: string): void {
    const text = stripBullet(line);
    if (this.section === 'steps') this.stepLine(line, text);
    else if (this.section) this.append(this.section, text);
    else if (!this.record.description) this.record.description = text;
  }

  private stepLine(line: string, text: string): void {
    if (LIST_ITEM.test(line) || this.steps.length === 0) {
      this.steps.push({ action: text });
      return;
    }
    // An indented continuation such as "   Expected: …" or "   Data: …" under a step.
    const last = this.steps.at(-1);
    const sub = /^\s*(?:[-*]\s*)?(expected(?:\s*result)?|data|test data)\s*:\s*(.*)$/i.exec(line);
    if (last && sub) {
      // `(.*)` always takes part in the match: group 2 is a string, possibly empty.
      if (/expected/i.test(sub[1] ?? '')) last.expected = sub[2] ?? '';
      else last.data = sub[2] ?? '';
    } else if (last) last.action = `${last.action} ${text}`;
  }

  result(): LooseRecord {
    const record = this.record;
    // A step line "Enter x → Expected: y" was split by `normalizeTestCase`; keep strings here.
    record.preconditions = this.preconditions;
    record.steps = this.steps.map((step) => (step.data || step.expected ? step : step.action));
    if (this.expected.length) record.expectedResult = this.expected.join('; ');
    if (this.data.length) record.testData = this.data.join('; ');
    if (this.covers.length) record.covers = this.covers;
    const gherkin = this.gherkinLines.join('\n');
    if (/^\s*(Feature|Scenario)/im.test(gherkin)) record.gherkin = gherkin;
    return record;
  }
}

function readBlock(title: string, lines: string[]): LooseRecord {
  const reader = new BlockReader(title);
  for (const line of lines) reader.read(line);
  return reader.result();
}

/** The contract's plain-text layout and numbered Markdown sections: one record per `Test Case N`. */
export function readNumberedCases(text: string): LooseRecord[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Array<{ title: string; lines: string[] }> = [];
  let current: { title: string; lines: string[] } | undefined;
  for (const line of lines) {
    const header = NUMBERED_CASE_HEADER.exec(line);
    if (header && !/^\s*\|/.test(line)) {
      current = { title: (header[2] ?? '').replace(/[*_]+$/, '').trim(), lines: [] };
      blocks.push(current);
      continue;
    }
    // Another heading ("## Summary", "## Coverage") ends the case above it.
    if (HEADING.test(line)) current = undefined;
    else current?.lines.push(line);
  }
  return blocks.map((block) => readBlock(block.title, block.lines));
}

/**
 * Markdown whose cases are headings without numbers (`## Valid login`) followed by fields or a step
 * table. A heading counts as a case when its section holds steps.
 */
export function readHeadingSections(text: string): LooseRecord[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const sections: Array<{ level: number; title: string; lines: string[] }> = [];
  for (const line of lines) {
    const heading = HEADING.exec(line);
    if (heading) {
      sections.push({
        level: (heading[1] ?? '#').length,
        title: (heading[2] ?? '').replace(/[*_]/g, '').trim(),
        lines: [],
      });
      continue;
    }
    sections.at(-1)?.lines.push(line);
  }
  return sections
    .map((section) => readBlock(section.title.replace(/^(?:\d+[.)]\s*)/, ''), section.lines))
    .filter((record) => Array.isArray(record.steps) && (record.steps as unknown[]).length > 0);
}

/** Raw Gherkin: one record per scenario, with kind, priority and covers read from its tags. */
export function readGherkinCases(text: string): LooseRecord[] {
  return splitGherkinScenarios(text).map((scenario) => {
    const tags = scenario.tags.map((tag) => tag.replace(/^@/, ''));
    const kindTag = tags.find((tag) => /^(positive|negative|boundary|edge|happy|error|invalid)/i.test(tag));
    const priorityTag = tags.find((tag) => /^(high|medium|low|critical|p\d|priority[-_:=]?\w+)$/i.test(tag));
    const covers = tags.filter((tag) => /^ac[-_]?\d+$/i.test(tag));
    return {
      title: scenario.title,
      gherkin: scenario.gherkin,
      ...(kindTag ? { kind: kindTag } : {}),
      ...(priorityTag ? { priority: priorityTag.replace(/^priority[-_:=]?/i, '') } : {}),
      ...(covers.length ? { covers } : {}),
    };
  });
}
