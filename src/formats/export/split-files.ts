import type { ExportFile } from './bundle.ts';

/**
 * Splits an export into files of at most `limit` items (Xray imports at most 1,000 tests at a
 * time): one file named `base.extension` when everything fits, else `base-1.extension`,
 * `base-2.extension`, … An empty list still gives one (empty) file.
 *
 * @example
 * splitIntoFiles(tests, 1000, { base: 'xray-tests', extension: 'json', mediaType: 'application/json' },
 *   (part) => JSON.stringify(part)); // 2,500 tests → xray-tests-1.json … xray-tests-3.json
 */
export function splitIntoFiles<Item>(
  items: readonly Item[],
  limit: number,
  file: { base: string; extension: string; mediaType: string },
  render: (part: readonly Item[]) => string,
): ExportFile[] {
  const parts: Array<readonly Item[]> = [];
  for (let start = 0; start < items.length; start += limit) parts.push(items.slice(start, start + limit));
  if (parts.length <= 1) {
    return [{ name: `${file.base}.${file.extension}`, mediaType: file.mediaType, content: render(items) }];
  }
  return parts.map((part, index) => ({
    name: `${file.base}-${index + 1}.${file.extension}`,
    mediaType: file.mediaType,
    content: render(part),
  }));
}
