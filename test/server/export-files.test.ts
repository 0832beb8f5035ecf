/**
 * Exports over HTTP as the tools take them (issue 12): one file as it is, several files as one
 * .zip (Cucumber's .feature files, Xray's CSV with its importer configuration, TestRail's file per
 * template), each file parsed back from the archive.
 */
import { parse } from 'csv-parse/sync';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workspace } from '../../src/app/workspace/index.ts';
import { parseGherkinDocument } from '../../src/formats/gherkin-document.ts';
import { type TestServer, startWorkspaceServer } from './server-setup.ts';

let server: TestServer;
let workspace: Workspace;

const stories = [1, 2].map((number) => ({
  key: `SHOP-${number}`,
  summary: `Customer pays by card ${number}`,
  acceptanceCriteria: ['A valid card is charged', 'A declined card shows "Card declined"'],
}));

beforeAll(async () => {
  const started = await startWorkspaceServer();
  server = started;
  workspace = started.workspace;
  await workspace.projects.create({ name: 'Shop' });
  await workspace.stories.importStories('Shop', {
    content: JSON.stringify(stories),
    fileName: 'stories.json',
  });
  for (const story of stories) {
    await workspace.generation.generateForStoredStory('Shop', story.key, { offline: true, format: 'manual' });
  }
  await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', { offline: true, format: 'bdd' });
}, 120_000);

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
});

async function download(query: string): Promise<Response> {
  const response = await fetch(`${server.url}/api/projects/Shop/export?${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return response;
}

async function archive(response: Response): Promise<Record<string, string>> {
  expect(response.headers.get('content-type')).toBe('application/zip');
  const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
  return Object.fromEntries(Object.entries(entries).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

describe('GET /api/projects/{project}/export', () => {
  it('sends cucumber for several stories as a .zip of .feature files that parse', async () => {
    const response = await download('to=cucumber');
    expect(response.headers.get('content-disposition')).toMatch(/filename="Shop-cucumber\.zip"/);
    const files = await archive(response);
    expect(Object.keys(files).sort()).toEqual(['SHOP-1.feature', 'SHOP-2.feature']);
    for (const [name, content] of Object.entries(files)) {
      const parsed = parseGherkinDocument(content);
      expect(parsed.ok, name).toBe(true);
      expect(content).toMatch(/^@SHOP-\d\nFeature: /);
    }
  });

  it('sends one story of cucumber as its .feature file', async () => {
    const response = await download('to=cucumber&story=SHOP-2');
    expect(response.headers.get('content-disposition')).toMatch(/filename="SHOP-2\.feature"/);
    expect(await response.text()).toMatch(/^@SHOP-2\nFeature: /);
    const cloud = await download('to=cucumber&story=SHOP-2&xrayTags=cloud');
    expect(await cloud.text()).toMatch(/^@REQ_SHOP-2\nFeature: /);
  });

  it('sends xray-csv with its importer configuration in a .zip', async () => {
    const files = await archive(await download('to=xray-csv'));
    expect(Object.keys(files).sort()).toEqual(['xray-tests-config.json', 'xray-tests.csv']);
    const rows = parse(files['xray-tests.csv'] ?? '', { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row['Test Type'] === 'Manual' || row['Test Type'] === 'Cucumber')).toBe(true);
    expect(rows.find((row) => row.Labels)?.Labels).toMatch(/^reqase;/);
    expect(JSON.parse(files['xray-tests-config.json'] ?? '')).toMatchObject({
      'config.list.delimiter': ';',
    });
  });

  it('sends testrail as a .zip of one file per template', async () => {
    const files = await archive(await download('to=testrail'));
    expect(Object.keys(files).sort()).toEqual(['testrail-bdd.csv', 'testrail-steps.csv']);
    const templates = (name: string) =>
      new Set(
        (parse(files[name] ?? '', { columns: true }) as Array<Record<string, string>>)
          .map((row) => row.Template)
          .filter(Boolean),
      );
    expect(templates('testrail-steps.csv')).toEqual(new Set(['Test Case (Steps)']));
    expect(templates('testrail-bdd.csv')).toEqual(new Set(['Behaviour Driven Development']));
  });

  it("sends xray-json as one file, linked with Xray Cloud's link type unless told otherwise", async () => {
    const cloud = await download('to=xray-json');
    expect(cloud.headers.get('content-disposition')).toMatch(/filename="xray-tests\.json"/);
    const tests = (await cloud.json()) as Array<{
      update?: { issuelinks: Array<{ add: { type: { name: string } } }> };
    }>;
    expect(new Set(tests.map((test) => test.update?.issuelinks[0]?.add.type.name))).toEqual(
      new Set(['Test']),
    );
    const server = (await (await download('to=xray-json&xrayLinkType=Tests')).json()) as typeof tests;
    expect(new Set(server.map((test) => test.update?.issuelinks[0]?.add.type.name))).toEqual(
      new Set(['Tests']),
    );
  });
});
