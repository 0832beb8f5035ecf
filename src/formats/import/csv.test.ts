import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStoriesCsv } from './csv.ts';
import { parseStoryText } from './parse-story-text.ts';

const backlog = readFileSync(new URL('../../../test/fixtures/formats/backlog.csv', import.meta.url));

function valueOf(result: ReturnType<typeof parseStoriesCsv>) {
  if (!result.ok) throw new Error(result.error.describe());
  return result.value;
}

function errorOf(result: ReturnType<typeof parseStoriesCsv>) {
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

describe('parseStoriesCsv', () => {
  it('guesses the mapping from a Jira CSV export and splits criteria on lines, bullets and ";"', () => {
    const { stories, mapping, warnings } = valueOf(parseStoriesCsv(backlog));
    expect(mapping).toEqual({
      key: 'Issue key',
      summary: 'Summary',
      description: 'Description',
      acceptanceCriteria: 'Custom field (Acceptance Criteria)',
    });
    expect(warnings).toEqual([]);
    expect(stories.map((story) => story.key)).toEqual(['SHOP-1', 'SHOP-2']);
    expect(stories[0]).toMatchObject({
      summary: 'Customer logs in',
      description: 'Login with email and password.',
      source: 'csv',
      acceptanceCriteria: [
        { id: 'AC-1', text: 'Valid credentials open the dashboard' },
        { id: 'AC-2', text: 'Wrong password shows "Invalid credentials"' },
      ],
    });
    expect(stories[1]?.acceptanceCriteria.map((criterion) => criterion.text)).toEqual([
      'Session ends',
      'Back button does not reopen the dashboard',
    ]);
  });

  it('uses a given mapping, semicolon separators, and derives missing keys with a warning', () => {
    const csv = 'Story name;Details;Checks\nExport orders;CSV export;"File downloads\nHeader row present"\n';
    const { stories, mapping, warnings } = valueOf(
      parseStoriesCsv(csv, { mapping: { summary: 'story name', acceptanceCriteria: 'Checks' } }),
    );
    expect(mapping).toMatchObject({
      summary: 'Story name',
      acceptanceCriteria: 'Checks',
      description: 'Details',
    });
    expect(stories[0]?.key).toMatch(/^STORY-/);
    expect(stories[0]?.acceptanceCriteria).toHaveLength(2);
    expect(warnings[0]).toContain('Row 2');
  });

  it('explains a missing summary column, an unknown mapped column and an empty summary cell', () => {
    const noSummary = errorOf(parseStoriesCsv('Key,Text\nA-1,x\n'));
    expect(noSummary.message).toContain('no summary column (columns: "Key", "Text")');
    // The fix is data each surface words (a CLI flag, or renaming the columns in the web app and API).
    expect(noSummary.remedies).toEqual([{ kind: 'run-action', action: 'map-csv-columns' }]);
    expect(
      errorOf(parseStoriesCsv('Key,Summary\nA-1,x\n', { mapping: { acceptanceCriteria: 'AC' } })).message,
    ).toContain('The column "AC" given for Acceptance Criteria is not in the CSV header');
    const empty = errorOf(parseStoriesCsv('Key,Summary\nA-1,x\nA-2,  \n'));
    expect(empty.message).toContain('Row 3');
    expect(empty.message).toContain('"Summary"');
  });

  it('names the line of broken quoting', () => {
    const unclosed = errorOf(parseStoriesCsv('Key,Summary\nA-1,ok\nA-2,"never closed\nA-3,x\n'));
    expect(unclosed.message).toContain('starts on line 3');
    expect(unclosed.fix).toContain('""');
    expect(errorOf(parseStoriesCsv('Key,Summary\nA-1,"x"y\n')).message).toContain('stray quote on line 2');
  });

  it('refuses an empty file, a header without rows, binary content and invalid UTF-8', () => {
    expect(errorOf(parseStoriesCsv('')).message).toContain('empty');
    expect(errorOf(parseStoriesCsv('Key,Summary\n')).message).toContain('no story rows');
    expect(errorOf(parseStoriesCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]))).message).toContain('binary');
    expect(errorOf(parseStoriesCsv(Buffer.from([0x4b, 0x2c, 0xff, 0x0a]))).message).toContain('UTF-8');
  });

  it('reads 100,000 rows', () => {
    const rows = ['Key,Summary,Acceptance Criteria'];
    for (let index = 1; index <= 100_000; index += 1)
      rows.push(`P-${index},Story ${index},"a${index}; b${index}"`);
    const { stories } = valueOf(parseStoriesCsv(rows.join('\n')));
    expect(stories).toHaveLength(100_000);
    expect(stories[99_999]).toMatchObject({
      key: 'P-100000',
      acceptanceCriteria: [{ text: 'a100000' }, { text: 'b100000' }],
    });
  });

  it('is reached from parseStoryText by file name or by a header row', () => {
    const byName = parseStoryText(backlog, { fileName: 'backlog.csv' });
    expect(byName.ok && byName.value.length).toBe(2);
    const byContent = parseStoryText('Summary,Description\nOne,two\n');
    expect(byContent.ok && byContent.kind).toBe('csv');
  });
});
