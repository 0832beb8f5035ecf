import { splitGherkinScenarios } from './gherkin-text.ts';
import { stripBullet } from './normalize.ts';

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

/** Reads one block of text (the lines under one case header) into a loose record. */
function readBlock(title: string, lines: string[]): LooseRecord {
  const record: LooseRecord = { title };
  const preconditions: string[] = [];
  const steps: Array<{ action: string; data?: string; expected?: string }> = [];
  const expected: string[] = [];
  const data: string[] = [];
  const covers: string[] = [];
  let section: Section;
  let tableColumns: Record<string, number> | undefined;
  const gherkinLines: string[] = [];
  let inFence = false;

  const append = (target: Section, value: string) => {
    if (!value) return;
    if (target === 'preconditions') preconditions.push(...value.split(/\s*;\s*/).filter(Boolean));
    else if (target === 'steps') steps.push({ action: value });
    else if (target === 'expected') expected.push(value);
    else if (target === 'data') data.push(value);
    else if (target === 'covers') covers.push(value);
    else if (target === 'description') record.description = value;
  };

  for (const rawLine of lines) {
    const line = rawLine.replace(/\s+$/, '');
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      gherkinLines.push(line);
      continue;
    }
    if (!line.trim() || /^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) continue;

    if (/^\s*\|/.test(line)) {
      const cells = parseTableRow(line);
      if (cells.every((cell) => /^:?-{2,}:?$/.test(cell) || cell === '')) continue;
      if (!tableColumns) {
        const columns: Record<string, number> = {};
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
        if (columns.action !== undefined) {
          tableColumns = columns;
          continue;
        }
        // A two-column "Field | Value" table: read its rows as labels.
        const labelled =
          cells.length >= 2 ? splitLabel(`${cells[0]}: ${cells.slice(1).join(' | ')}`) : undefined;
        if (labelled) append(labelled.field as Section, labelled.value);
        continue;
      }
      const action = cells[tableColumns.action ?? -1] ?? '';
      if (!action) continue;
      const stepData = tableColumns.data === undefined ? '' : (cells[tableColumns.data] ?? '');
      const stepExpected = tableColumns.expected === undefined ? '' : (cells[tableColumns.expected] ?? '');
      steps.push({
        action,
        ...(stepData && !/^(-|n\/a|none)$/i.test(stepData) ? { data: stepData } : {}),
        ...(stepExpected ? { expected: stepExpected } : {}),
      });
      continue;
    }
    tableColumns = undefined;

    // "Priority: High | Type: Negative" on one line.
    const inlineParts = line.includes(' | ') ? line.split(/\s+\|\s+/) : [line];
    const labelled = inlineParts.map(splitLabel);
    if (labelled.every(Boolean) && labelled.length > 0) {
      for (const part of labelled) {
        if (!part) continue;
        if (part.field === 'title') record.title ||= part.value;
        else if (part.field === 'kind' || part.field === 'priority') record[part.field] = part.value;
        else {
          section = part.field as Section;
          append(section, part.value);
        }
      }
      continue;
    }

    const isListItem = /^\s*(?:\d+\s*[.)]|[-*•]|(?:step|schritt|étape|paso|passo)\s*\d+\s*[:.)-])\s+/i.test(
      line,
    );
    const text = stripBullet(line);
    if (section === 'steps') {
      if (isListItem || steps.length === 0) steps.push({ action: text });
      else {
        // An indented continuation such as "   Expected: …" or "   Data: …" under a step.
        const last = steps.at(-1);
        const sub = /^\s*(?:[-*]\s*)?(expected(?:\s*result)?|data|test data)\s*:\s*(.*)$/i.exec(line);
        if (last && sub) {
          if (/expected/i.test(sub[1] ?? '')) last.expected = sub[2];
          else last.data = sub[2];
        } else if (last) last.action = `${last.action} ${text}`;
      }
    } else if (section) {
      append(section, text);
    } else if (!record.description) {
      record.description = text;
    }
  }

  // A step line "Enter x → Expected: y" was split by `normalizeTestCase`; keep strings here.
  record.preconditions = preconditions;
  record.steps = steps.map((step) => (step.data || step.expected ? step : step.action));
  if (expected.length) record.expectedResult = expected.join('; ');
  if (data.length) record.testData = data.join('; ');
  if (covers.length) record.covers = covers;
  const gherkin = gherkinLines.join('\n');
  if (/^\s*(Feature|Scenario)/im.test(gherkin)) record.gherkin = gherkin;
  return record;
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
