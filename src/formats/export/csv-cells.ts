import { stringify } from 'csv-stringify/sync';

/**
 * Writes rows as RFC 4180 CSV (UTF-8, CRLF, quotes where needed).
 *
 * Formula-injection protection: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is
 * prefixed with a single quote (`'`). Spreadsheets (Excel, LibreOffice, Google Sheets) would otherwise
 * run such a cell as a formula when a tester opens the file; story text comes from outside and must
 * never execute. The quote is visible in the imported text, which is the accepted trade-off (OWASP
 * "CSV Injection").
 */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | undefined>>,
): string {
  return stringify(
    [header.map(protectCell), ...rows.map((row) => row.map((cell) => protectCell(cell ?? '')))],
    {
      record_delimiter: 'windows',
      // A lone "\n" is not quoted by default with CRLF records; quote it, and cells with edge spaces.
      quoted_match: /[\r\n]|^\s|\s$/,
    },
  );
}

export function protectCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
