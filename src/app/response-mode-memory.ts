import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResponseMode } from '../core/index.ts';

/**
 * Remembers, per endpoint and model, which structured-output mode the endpoint accepted
 * (`json_schema`, `json_object` or `text`), so later generations start there instead of being
 * refused again. Kept as a small JSON file in the data directory; a lost or corrupt file only
 * costs one extra attempt, so errors reading it are ignored.
 */
export interface ResponseModeMemory {
  recall(baseUrl: string, model: string): ResponseMode | undefined;
  remember(baseUrl: string, model: string, mode: ResponseMode): void;
}

const FILE_NAME = 'response-modes.json';
const modes = new Set<string>(['json_schema', 'json_object', 'text']);

export function fileResponseModeMemory(dataDirectory: string): ResponseModeMemory {
  const path = join(dataDirectory, FILE_NAME);
  const read = (): Record<string, string> => {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  };
  const keyOf = (baseUrl: string, model: string) => `${baseUrl} ${model}`;
  return {
    recall(baseUrl, model) {
      const mode = read()[keyOf(baseUrl, model)];
      return mode && modes.has(mode) ? (mode as ResponseMode) : undefined;
    },
    remember(baseUrl, model, mode) {
      const all = read();
      if (all[keyOf(baseUrl, model)] === mode) return;
      all[keyOf(baseUrl, model)] = mode;
      try {
        mkdirSync(dataDirectory, { recursive: true, mode: 0o700 });
        const temporary = `${path}.${process.pid}.tmp`;
        writeFileSync(temporary, JSON.stringify(all, null, 2), { mode: 0o600 });
        renameSync(temporary, path);
      } catch {
        // Remembering is an optimisation; failing to write must not fail a generation.
      }
    },
  };
}
