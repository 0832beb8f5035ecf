import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace } from '../../src/app/workspace/index.ts';
import type { ConnectorDependencies } from '../../src/connectors/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../storage/storage-setup.ts';

export interface ConnectorTestWorkspace {
  workspace: Workspace;
  storage: Storage;
  database: TestDatabase;
  /** Every wait a connector asked for (retries, pacing, polls), in ms; none is actually waited. */
  sleeps: number[];
  /** A second workspace over the same database, e.g. to resume after a crash. */
  reopen(connectors?: ConnectorDependencies): Workspace;
  dispose(): Promise<void>;
}

/**
 * A workspace over a private test database whose connectors never really sleep: retries and
 * pacing are recorded instead, so the tests wait on nothing but the fakes' answers.
 */
export async function createConnectorWorkspace(
  dialect: TestDialect,
  env: Record<string, string | undefined>,
  connectors: ConnectorDependencies = {},
): Promise<ConnectorTestWorkspace> {
  const database = await createTestDatabase(dialect);
  const directory = await mkdtemp(join(tmpdir(), 'reqase-connectors-'));
  const { storage } = await database.open();
  const sleeps: number[] = [];
  const sleep = async (milliseconds: number) => {
    sleeps.push(milliseconds);
  };
  const workspaces: Workspace[] = [];
  const open = (extra: ConnectorDependencies = {}) => {
    const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory, ...env }, directory), {
      storage,
      connectors: { sleep, ...connectors, ...extra },
    });
    workspaces.push(workspace);
    return workspace;
  };
  return {
    workspace: open(),
    storage,
    database,
    sleeps,
    reopen: open,
    async dispose() {
      for (const workspace of workspaces) await workspace.close();
      await database.dispose();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** `stories` stories of `casesPerStory` accepted manual cases each, in project `Shop`. */
export async function seedAcceptedCases(storage: Storage, stories: number, casesPerStory: number) {
  const project =
    (await storage.projects.findByName('Shop')) ?? (await storage.projects.create({ name: 'Shop' }));
  for (let storyNumber = 1; storyNumber <= stories; storyNumber += 1) {
    const story = await storage.stories.save(project.id, {
      key: `SHOP-${storyNumber}`,
      summary: `Checkout ${storyNumber}`,
      description: 'As a shopper I want to pay so that I get my order.',
      acceptanceCriteria: [{ id: 'AC-1', text: 'Card payments are accepted' }],
      outOfScope: [],
      notes: [],
      source: 'markdown',
      contentHash: `hash-${storyNumber}`,
    });
    await storage.testCases.insertMany(
      Array.from({ length: casesPerStory }, (_, index) => ({
        projectId: project.id,
        storyId: story.id,
        title: `Story ${storyNumber} case ${index + 1}: pay with a valid card`,
        kind: 'positive' as const,
        priority: index % 2 === 0 ? 'high' : 'medium',
        preconditions: ['A cart with one item'],
        steps: [
          { action: 'Open the cart', expected: 'The cart shows one item' },
          {
            action: 'Pay with a valid card',
            data: '4111 1111 1111 1111',
            expected: 'The order is confirmed',
          },
        ],
        covers: ['AC-1'],
        engine: 'rules' as const,
        warnings: [],
        status: 'accepted' as const,
      })),
    );
  }
  return project;
}
