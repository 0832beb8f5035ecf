/**
 * A large export over HTTP is read and rendered a slice at a time (so the server keeps answering
 * other requests) and zipped a slice at a time: the files must be exactly what one render of the
 * whole export gives — the same names, in the same order, with the same content — for the heaviest
 * targets (Xray JSON split into files of 1,000 tests, TestRail with its BDD file, Cucumber, CSV).
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainStory, domainTestCase } from '../../src/app/workspace/context.ts';
import type { NewTestCase } from '../../src/core/repositories.ts';
import { exportTestCases, type ExportBundle, type ExportTarget } from '../../src/formats/index.ts';
import { startWorkspaceServer, type WorkspaceServer } from './workspace-server.ts';

const STORIES = 30;
const CASES_PER_STORY = 80;
/** The first stories hold only BDD cases: the first slices give TestRail's BDD file alone. */
const BDD_STORIES = 5;

let served: WorkspaceServer;

function caseOf(projectId: string, storyId: string, storyNumber: number, caseNumber: number): NewTestCase {
  const bdd = storyNumber <= BDD_STORIES || caseNumber % 7 === 0;
  return {
    projectId,
    storyId,
    caseNumber,
    status: caseNumber % 10 === 9 ? 'rejected' : caseNumber % 3 === 0 ? 'accepted' : 'draft',
    title: `SHOP-${storyNumber} case ${caseNumber}: a declined card keeps the cart`,
    kind: caseNumber % 3 === 0 ? 'negative' : 'positive',
    priority: caseNumber % 4 === 0 ? 'low' : 'high',
    preconditions: ['A cart with two items worth 40.00 EUR'],
    steps: [
      { action: 'Open the checkout page', expected: 'The order summary is shown' },
      { action: 'Pay with the card 4000 0000 0000 0002', data: '4000 0000 0000 0002', expected: 'Declined' },
    ],
    ...(bdd
      ? {
          gherkin: `Scenario: Declined card ${caseNumber}\n  Given a cart with two items\n  When I pay with a declined card\n  Then the message "Payment declined" is shown`,
        }
      : {}),
    covers: [`AC-${(caseNumber % 2) + 1}`],
    engine: 'llm',
    warnings: [],
  };
}

beforeAll(async () => {
  served = await startWorkspaceServer('sqlite');
  expect((await served.call('POST', '/api/projects', { name: 'Big' })).status).toBe(201);
  const storage = await served.workspace.storage();
  const project = (await storage.projects.findByName('Big'))!;
  const cases: NewTestCase[] = [];
  for (let storyNumber = 1; storyNumber <= STORIES; storyNumber += 1) {
    const key = `SHOP-${String(storyNumber).padStart(2, '0')}`;
    const story = await storage.stories.save(project.id, {
      key,
      summary: `Customer pays by card ${storyNumber}`,
      description: 'As a shopper I want to pay by card.',
      acceptanceCriteria: [
        { id: 'AC-1', text: 'A valid card is charged' },
        { id: 'AC-2', text: 'A declined card shows "Payment declined"' },
      ],
      outOfScope: [],
      notes: [],
      source: 'markdown',
      contentHash: key,
    });
    for (let caseNumber = 1; caseNumber <= CASES_PER_STORY; caseNumber += 1) {
      cases.push(caseOf(project.id, story.id, storyNumber, caseNumber));
    }
  }
  await storage.testCases.insertMany(cases);
}, 120_000);

afterAll(async () => {
  await served?.dispose();
});

/** One render of the whole export, from the stored records, as the export read them before. */
async function renderedAtOnce(
  target: ExportTarget,
  storyKeys?: string[],
): Promise<Array<{ name: string; content: string }>> {
  const storage = await served.workspace.storage();
  const project = (await storage.projects.findByName('Big'))!;
  const bundle: ExportBundle = { project: { name: 'Big' }, stories: [] };
  for (const story of await storage.stories.list(project.id)) {
    if (storyKeys && !storyKeys.includes(story.key)) continue;
    const records = await storage.testCases.list({ storyId: story.id, status: ['draft', 'accepted'] });
    bundle.stories.push({ story: domainStory(story), testCases: records.map(domainTestCase) });
  }
  return exportTestCases(bundle, target).files.map(({ name, content }) => ({ name, content }));
}

async function downloaded(
  target: ExportTarget,
  storyKeys?: string[],
): Promise<Array<{ name: string; content: string }>> {
  const stories = storyKeys ? `&story=${storyKeys.join(',')}` : '';
  const response = await served.call('GET', `/api/projects/Big/export?to=${target}${stories}`);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('x-export-stories')).toBe(String(storyKeys?.length ?? STORIES));
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.headers.get('content-type') !== 'application/zip') {
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? '';
    return [{ name, content: new TextDecoder().decode(bytes) }];
  }
  return Object.entries(unzipSync(bytes)).map(([name, content]) => ({ name, content: strFromU8(content) }));
}

describe('a large export over HTTP, read, rendered and zipped in slices', () => {
  it.each(['xray-json', 'testrail', 'cucumber', 'csv'] as const)(
    'gives the files of one render of the whole export: %s',
    async (target) => {
      const expected = await renderedAtOnce(target);
      const files = await downloaded(target);
      expect(files.map((file) => file.name)).toEqual(expected.map((file) => file.name));
      for (const [index, file] of files.entries())
        expect(file.content, file.name).toBe(expected[index]!.content);
    },
  );

  it('gives one Xray JSON file of one render for a few hundred cases (several slices, one file)', async () => {
    const storyKeys = ['SHOP-02', 'SHOP-03', 'SHOP-04'];
    const expected = await renderedAtOnce('xray-json', storyKeys);
    expect(expected.map((file) => file.name)).toEqual(['xray-tests.json']);
    expect(await downloaded('xray-json', storyKeys)).toEqual(expected);
  });

  it('splits Xray JSON into files of 1,000 tests and TestRail into its step and BDD files', async () => {
    expect((await renderedAtOnce('xray-json')).map((file) => file.name)).toEqual([
      'xray-tests-1.json',
      'xray-tests-2.json',
      'xray-tests-3.json',
    ]);
    expect((await renderedAtOnce('testrail')).map((file) => file.name)).toEqual([
      'testrail-steps.csv',
      'testrail-bdd.csv',
    ]);
  });
});
