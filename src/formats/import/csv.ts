import { parse } from 'csv-parse/sync';
import type { Story } from '../../core/model.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import type { Result } from '../../shared/result.ts';
import { err, ok } from '../../shared/result.ts';
import { decodeStoryInput, MAX_STORY_CSV_BYTES } from './input-text.ts';
import { buildStory } from './story-builder.ts';
import { splitListItems } from './story-sections.ts';

/** Which CSV column (by header name, case-insensitive) holds each story field. */
export interface CsvColumnMapping {
  key?: string | undefined;
  summary?: string | undefined;
  description?: string | undefined;
  acceptanceCriteria?: string | undefined;
  outOfScope?: string | undefined;
}

export interface CsvStoriesOptions {
  /** Columns to read; guessed from the headers when absent (Issue key/Key/ID, Summary/Title, …). */
  mapping?: CsvColumnMapping;
  /** Largest accepted input in bytes. Default 50 MB (a backlog export, not a single story). */
  maxBytes?: number;
}

export interface CsvStories {
  stories: Story[];
  /** The mapping used, with the exact header names: show it so a wrong guess can be corrected. */
  mapping: CsvColumnMapping;
  warnings: string[];
}

const FIELD_GUESSES: Record<keyof CsvColumnMapping, RegExp[]> = {
  key: [/^issuekey$/, /^key$/, /^storykey$/, /^storyid$/, /^id$/, /^issueid$/, /^ticket$/, /^ref(erence)?$/],
  summary: [/^summary$/, /^title$/, /^storysummary$/, /^storytitle$/, /^name$/, /^userstory$/, /^story$/],
  description: [/^description$/, /^storydescription$/, /^details$/, /^body$/],
  acceptanceCriteria: [/^acceptancecriteria$/, /^ac$/, /^acs$/, /^criteria$/, /acceptance/, /criteria/],
  outOfScope: [/^outofscope$/, /^notinscope$/, /^nongoals?$/, /outofscope/, /^excluded$/],
};

const FIELD_LABELS: Record<keyof CsvColumnMapping, string> = {
  key: 'Key',
  summary: 'Summary',
  description: 'Description',
  acceptanceCriteria: 'Acceptance Criteria',
  outOfScope: 'Out of scope',
};

/**
 * Reads a backlog from CSV (header row first; `,`, `;` or tab separated; UTF-8, BOM allowed): one story
 * per row. The column mapping is guessed from the headers unless given, and returned. Acceptance
 * criteria in one cell are split on new lines, `;`, or bullets.
 *
 * @example
 * const result = parseStoriesCsv('Key,Summary,AC\nSHOP-1,Pay by card,"Card accepted; Receipt sent"');
 * // result.value.stories[0].acceptanceCriteria → [{ id: 'AC-1', text: 'Card accepted' }, { id: 'AC-2', … }]
 */
export function parseStoriesCsv(
  content: string | Uint8Array,
  options: CsvStoriesOptions = {},
): Result<CsvStories, InvalidInputError> {
  const decoded = decodeStoryInput(content, {
    label: 'The CSV file',
    maxBytes: options.maxBytes ?? MAX_STORY_CSV_BYTES,
  });
  if (!decoded.ok) return decoded;
  const parsed = parseCsvRows(decoded.value);
  if (!parsed.ok) return parsed;
  const [header, ...records] = parsed.value;
  if (!header || records.length === 0) {
    return err(
      new InvalidInputError('The CSV file has a header row but no story rows.', {
        fix: 'Add one row per story under the header (Key, Summary, Description, Acceptance Criteria).',
      }),
    );
  }
  const headers = header.map((name) => name.trim());
  const mapping = resolveMapping(headers, options.mapping);
  if (!mapping.ok) return mapping;
  const built = storiesOfRows(records, headers, mapping.value.indexes);
  if (!built.ok) return built;
  const { stories, warnings } = built.value;
  return ok({ stories, mapping: mapping.value.mapping, warnings });
}

/** The rows of the file, the delimiter guessed from the header line. */
function parseCsvRows(text: string): Result<string[][], InvalidInputError> {
  const delimiter = guessDelimiter(text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n')));
  let lastGoodLine = 0;
  try {
    return ok(
      parse(text, {
        delimiter,
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
        on_record: (record: string[], context: { lines: number }) => {
          lastGoodLine = context.lines;
          return record;
        },
      }) as string[][],
    );
  } catch (cause) {
    return err(csvSyntaxError(cause, lastGoodLine));
  }
}

/** One story per row that is not empty; a row without a summary stops the import. */
function storiesOfRows(
  records: string[][],
  headers: string[],
  indexes: ColumnIndexes,
): Result<{ stories: Story[]; warnings: string[] }, InvalidInputError> {
  if (indexes.summary === undefined) {
    return err(
      new InvalidInputError(
        `The CSV file has no summary column (columns: ${headers.map((name) => `"${name}"`).join(', ')}).`,
        {
          fix: 'Name a column "Summary" or "Title", or map the columns (e.g. summary=Story name).',
          remedies: [{ kind: 'run-action', action: 'map-csv-columns' }],
        },
      ),
    );
  }
  const warnings: string[] = [];
  const stories: Story[] = [];
  const cell = (record: string[], index: number | undefined) =>
    index === undefined ? '' : (record[index] ?? '');
  for (const [position, record] of records.entries()) {
    if (record.every((value) => value.trim() === '')) continue;
    const rowNumber = position + 2; // 1-based, after the header row
    const summary = cell(record, indexes.summary);
    if (summary.trim() === '') {
      return err(
        new InvalidInputError(
          `Row ${rowNumber} of the CSV file has an empty "${headers[indexes.summary]}" (the summary column).`,
          {
            fix: `Fill in the summary of row ${rowNumber}, or delete the row.`,
          },
        ),
      );
    }
    const built = buildStory(
      {
        key: cell(record, indexes.key),
        summary,
        description: cell(record, indexes.description),
        acceptanceCriteria: splitCellList(cell(record, indexes.acceptanceCriteria)),
        outOfScope: splitCellList(cell(record, indexes.outOfScope)),
      },
      'csv',
      `Row ${rowNumber}`,
      warnings,
    );
    if (!built.ok) return built;
    stories.push(built.value);
  }
  if (stories.length === 0) {
    return err(
      new InvalidInputError('The CSV file has no story rows (every row is empty).', {
        fix: 'Add one row per story under the header.',
      }),
    );
  }
  return ok({ stories, warnings });
}

function guessDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t'].map((delimiter) => ({
    delimiter,
    count: headerLine.split(delimiter).length - 1,
  }));
  counts.sort((left, right) => right.count - left.count);
  return counts[0] && counts[0].count > 0 ? counts[0].delimiter : ',';
}

function normalizeHeader(name: string): string {
  return name
    .toLowerCase()
    .replace(/^custom field \((.*)\)$/, '$1')
    .replace(/[^a-z0-9]/g, '');
}

/** The column index of each mapped field. */
type ColumnIndexes = Partial<Record<keyof CsvColumnMapping, number>>;

function resolveMapping(
  headers: string[],
  given: CsvColumnMapping | undefined,
): Result<{ mapping: CsvColumnMapping; indexes: ColumnIndexes }, InvalidInputError> {
  const mapping: CsvColumnMapping = {};
  const indexes: Partial<Record<keyof CsvColumnMapping, number>> = {};
  const used = new Set<number>();
  const fields = Object.keys(FIELD_GUESSES) as Array<keyof CsvColumnMapping>;
  for (const field of fields) {
    const wanted = given?.[field];
    if (wanted === undefined) continue;
    const index = headers.findIndex((name) => name.toLowerCase() === wanted.trim().toLowerCase());
    if (index === -1) {
      return err(
        new InvalidInputError(
          `The column "${wanted}" given for ${FIELD_LABELS[field]} is not in the CSV header (columns: ${headers.map((name) => `"${name}"`).join(', ')}).`,
          { fix: 'Use one of the column names listed, spelled as in the header row.' },
        ),
      );
    }
    mapping[field] = headers[index];
    indexes[field] = index;
    used.add(index);
  }
  for (const field of fields) {
    if (indexes[field] !== undefined) continue;
    for (const pattern of FIELD_GUESSES[field]) {
      const index = headers.findIndex(
        (name, position) => !used.has(position) && pattern.test(normalizeHeader(name)),
      );
      if (index !== -1) {
        mapping[field] = headers[index];
        indexes[field] = index;
        used.add(index);
        break;
      }
    }
  }
  return ok({ mapping, indexes });
}

/** Splits a cell holding several items: one per line, else `;`-separated, bullets and numbers removed. */
function splitCellList(cell: string): string[] {
  const trimmed = cell.trim();
  if (trimmed === '') return [];
  const lines = trimmed.includes('\n') ? trimmed.split('\n') : trimmed.split(/\s*;\s*/);
  return splitListItems(lines);
}

function csvSyntaxError(cause: unknown, lastGoodLine: number): InvalidInputError {
  const code = (cause as { code?: unknown }).code;
  const line = Number((cause as { lines?: unknown }).lines);
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new InvalidInputError(
      `The CSV file has a quoted cell that is never closed: it starts on line ${lastGoodLine + 1} and runs to the end of the file.`,
      {
        fix: `Check line ${lastGoodLine + 1}: every cell that starts with " must end with ", and a " inside a cell is written "".`,
        cause,
      },
    );
  }
  if (code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'INVALID_OPENING_QUOTE') {
    return new InvalidInputError(
      `The CSV file has a stray quote on line ${Number.isFinite(line) ? line : lastGoodLine + 1}.`,
      {
        fix: 'Put the whole cell in quotes and double any " inside it (She said ""yes""), or remove the quote.',
        cause,
      },
    );
  }
  return new InvalidInputError(
    `The CSV file could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
    {
      fix: 'Save it again as CSV (UTF-8, comma separated) from your spreadsheet or tracker.',
      cause,
    },
  );
}
