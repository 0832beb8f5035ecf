import { describe, expect, it } from 'vitest';
import { protectCell, toCsv } from './csv-cells.ts';

describe('protectCell', () => {
  it('prefixes a quote to a cell a spreadsheet would run as a formula', () => {
    for (const cell of ['=SUM(A1:A2)', '+1', '-2', '@cmd', '\tx', '\rx'])
      expect(protectCell(cell)).toBe(`'${cell}`);
  });

  it('leaves other cells as they are, a formula character inside the text included', () => {
    for (const cell of ['Log in', 'a=b', '1+1', '', "'quoted"]) expect(protectCell(cell)).toBe(cell);
  });
});

describe('toCsv', () => {
  it('writes RFC 4180 CSV with CRLF records, quoting commas, quotes and line breaks', () => {
    expect(toCsv(['Title', 'Steps'], [['Pay, then leave', 'Say "hi"\nthen go']])).toBe(
      'Title,Steps\r\n"Pay, then leave","Say ""hi""\nthen go"\r\n',
    );
  });

  it('writes a missing cell as empty and protects header and cells alike', () => {
    expect(toCsv(['=Header', 'B'], [[undefined, '=1+1']])).toBe("'=Header,B\r\n,'=1+1\r\n");
  });

  it('quotes cells with spaces at either end so they survive a round trip', () => {
    expect(toCsv(['A'], [[' padded ']])).toBe('A\r\n" padded "\r\n');
  });
});
