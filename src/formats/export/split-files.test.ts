import { describe, expect, it } from 'vitest';
import { splitIntoFiles } from './split-files.ts';

const file = { base: 'xray-tests', extension: 'json', mediaType: 'application/json' };
const render = (part: readonly number[]) => JSON.stringify(part);

describe('splitIntoFiles', () => {
  it('writes one file named base.extension when everything fits', () => {
    expect(splitIntoFiles([1, 2, 3], 3, file, render)).toEqual([
      { name: 'xray-tests.json', mediaType: 'application/json', content: '[1,2,3]' },
    ]);
  });

  it('numbers the files from 1 when the items do not fit, the last one holding the rest', () => {
    const files = splitIntoFiles([1, 2, 3, 4, 5], 2, file, render);
    expect(files.map((part) => part.name)).toEqual([
      'xray-tests-1.json',
      'xray-tests-2.json',
      'xray-tests-3.json',
    ]);
    expect(files.map((part) => part.content)).toEqual(['[1,2]', '[3,4]', '[5]']);
  });

  it('still writes one (empty) file for no items', () => {
    expect(splitIntoFiles([], 1000, file, render)).toEqual([
      { name: 'xray-tests.json', mediaType: 'application/json', content: '[]' },
    ]);
  });
});
