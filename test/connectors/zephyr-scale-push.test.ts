import { describe, expect, it } from 'vitest';
import { createZephyrScaleClient } from '../../src/connectors/index.ts';
import { startFakeZephyrScale } from '../support/fake-zephyr-scale.ts';
import { createConnectorWorkspace, seedAcceptedCases } from './connectors-support.ts';
import { describePushTarget } from './push-target-suite.ts';
import { environment, TOKEN, zephyrScaleHarness } from './zephyr-scale-harness.ts';

// The PostgreSQL half is zephyr-scale-push.postgres.test.ts, so the two test workers share the suite.
describePushTarget(zephyrScaleHarness, ['sqlite']);

describe('push to Zephyr Scale Cloud: BDD', () => {
  it('a BDD case goes out as a BDD test script, not as steps', async () => {
    const zephyr = await startFakeZephyrScale({ token: TOKEN });
    const context = await createConnectorWorkspace('sqlite', environment(zephyr));
    try {
      const project = await seedAcceptedCases(context.storage, 1, 1);
      const [story] = await context.storage.stories.list(project.id);
      const gherkin = [
        'Scenario: Pay with a valid card',
        '  Given a cart with one item',
        '  When the shopper pays with card 4111 1111 1111 1111',
        '  Then the order is confirmed',
      ].join('\n');
      await context.storage.testCases.insertMany([
        {
          projectId: project.id,
          storyId: story!.id,
          title: 'Pay with a valid card (BDD)',
          kind: 'positive',
          priority: 'high',
          preconditions: [],
          steps: [],
          gherkin,
          covers: ['AC-1'],
          engine: 'rules',
          warnings: [],
          status: 'accepted',
        },
      ]);
      const result = await context.workspace.push.push({ project: 'Shop', to: 'zephyr-scale' });
      expect(result.counts.created).toBe(2);
      const bdd = [...zephyr.testCases.values()].find((testCase) => testCase.name.endsWith('(BDD)'));
      expect(bdd).toMatchObject({
        script: { type: 'bdd', text: gherkin },
        steps: [],
        priorityName: 'High',
      });
      expect(zephyr.requests.some((request) => request.path === `/v2/testcases/${bdd?.key}/teststeps`)).toBe(
        false,
      );
    } finally {
      await context.dispose();
      await zephyr.close();
    }
  });
});

describe('Zephyr Scale client: steps', () => {
  it('sends 150 steps as one OVERWRITE of 100 and one APPEND of 50, and an empty OVERWRITE clears them', async () => {
    const zephyr = await startFakeZephyrScale({ token: TOKEN });
    try {
      const client = createZephyrScaleClient({ baseUrl: zephyr.url, token: TOKEN });
      const created = await client.createTestCase({ projectKey: 'SHOP', name: 'Many steps' });
      const steps = Array.from({ length: 150 }, (_, index) => ({ description: `Step ${index + 1}` }));
      await client.setSteps(created.key, steps);
      const sent = zephyr.requests.filter((request) => request.path.endsWith('/teststeps'));
      expect(
        sent.map((request) => [
          (request.body as { mode: string }).mode,
          (request.body as { items: unknown[] }).items.length,
        ]),
      ).toEqual([
        ['OVERWRITE', 100],
        ['APPEND', 50],
      ]);
      expect(zephyr.testCases.get(created.key)?.steps.map((step) => step.description)).toEqual(
        steps.map((step) => step.description),
      );
      await client.setSteps(created.key, []);
      expect(zephyr.testCases.get(created.key)?.steps).toEqual([]);
    } finally {
      await zephyr.close();
    }
  });
});
