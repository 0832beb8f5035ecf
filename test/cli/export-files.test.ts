/**
 * `reqase export --out FILE` for exports of several files (issue 12): the main file at FILE, the
 * others next to it (numbered parts, the Xray importer configuration, TestRail's BDD file).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace } from '../../src/app/workspace/index.ts';
import { fileOutputPath } from '../../src/cli/export.ts';
import { runReqase } from '../support/reqase-process.ts';

let directory: string;
let dataDirectory: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'reqase-export-files-'));
  dataDirectory = join(directory, 'data');
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: dataDirectory }, directory));
  try {
    await workspace.projects.create({ name: 'Shop' });
    const story = {
      key: 'SHOP-1',
      summary: 'Customer pays by card',
      acceptanceCriteria: ['A valid card is charged'],
    };
    await workspace.stories.importStories('Shop', {
      content: JSON.stringify([story]),
      fileName: 'stories.json',
    });
    await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', { offline: true, format: 'manual' });
    await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', { offline: true, format: 'bdd' });
  } finally {
    await workspace.close();
  }
}, 120_000);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('reqase export --out FILE with several files', () => {
  it('names the companions and numbered parts after FILE', () => {
    expect(fileOutputPath('/out/cases.json', 'xray-tests.json')).toBe('/out/cases.json');
    expect(fileOutputPath('/out/cases.json', 'xray-tests-1.json')).toBe('/out/cases-1.json');
    expect(fileOutputPath('/out/cases.json', 'xray-tests-12.json')).toBe('/out/cases-12.json');
    expect(fileOutputPath('/out/cases.csv', 'xray-tests.csv')).toBe('/out/cases.csv');
    expect(fileOutputPath('/out/cases.csv', 'xray-tests-config.json')).toBe('/out/cases-config.json');
    expect(fileOutputPath('/out/cases.csv', 'testrail-steps.csv')).toBe('/out/cases.csv');
    expect(fileOutputPath('/out/cases.csv', 'testrail-bdd.csv')).toBe('/out/cases-bdd.csv');
  });

  it('writes TestRail step cases to FILE and BDD cases next to it, each with one template', async () => {
    const run = await runReqase(
      ['export', '--project', 'Shop', '--to', 'testrail', '--out', 'out/cases.csv'],
      {
        cwd: directory,
        dataDirectory,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(join(directory, 'out')).sort()).toEqual(['cases-bdd.csv', 'cases.csv']);
    const templates = (name: string) =>
      new Set(
        (
          parse(readFileSync(join(directory, 'out', name), 'utf8'), { columns: true }) as Array<
            Record<string, string>
          >
        )
          .map((row) => row.Template)
          .filter(Boolean),
      );
    expect(templates('cases.csv')).toEqual(new Set(['Test Case (Steps)']));
    expect(templates('cases-bdd.csv')).toEqual(new Set(['Behaviour Driven Development']));
  }, 180_000);
});
